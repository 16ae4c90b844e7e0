"""Short signed tokens for the links in a mailing: unsubscribe, tracked links, the open pixel.

A token is `<payload>.<signature>`: the signature is 128 bits of an HMAC-SHA256 keyed by the
site's SECRET_KEY and the link's purpose, so checking a token needs no database, a token made
for one purpose is worthless for another, and a changed payload fails the check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=32)
def _key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"pressdesk.mailings.{purpose}:{secret}".encode()).digest()


def _signature(purpose: str, payload: str, secret: str) -> str:
    digest = hmac.new(_key(purpose, secret), payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(purpose: str, payload: str) -> str:
    """`payload.signature` (the payload may hold dots: the signature follows the last one)."""
    return f"{payload}.{_signature(purpose, payload, settings.SECRET_KEY)}"


def unsign(purpose: str, token: str) -> str | None:
    """The payload of a genuine token for this purpose, or None for anything else."""
    payload, sep, signature = token.rpartition(".")
    if not sep or not payload or len(signature) != 22:
        return None
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])):
        if hmac.compare_digest(_signature(purpose, payload, secret), signature):
            return payload
    return None


def short_hmac(purpose: str, payload: str, length: int = 8) -> str:
    """A few hex digits of HMAC, for identifiers that only need to be hard to guess."""
    digest = hmac.new(_key(purpose, settings.SECRET_KEY), payload.encode(), hashlib.sha256)
    return digest.hexdigest()[:length]
