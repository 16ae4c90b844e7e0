"""Pressdesk: open-source press-office software."""

__version__ = "0.1.0"
