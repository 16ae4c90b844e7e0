"""Releases' pages. Each views module lists its own routes; urls.py and public_urls.py join them."""
