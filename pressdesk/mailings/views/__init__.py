"""Mailings' pages. Each module lists its own routes in `urlpatterns`."""
