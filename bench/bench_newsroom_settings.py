"""Pressdesk's settings with Django's dummy cache: bench_newsroom.py's "built" pass, where every
newsroom answer is built from the database (nothing kept between requests)."""

from pressdesk.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
