"""Monitoring's pages. Each views module lists its own routes."""
