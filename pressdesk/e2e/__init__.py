"""End-to-end tests: real Chromium, through Playwright, against the app on a live server."""
