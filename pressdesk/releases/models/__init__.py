"""Releases' tables."""
