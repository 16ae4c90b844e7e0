"""The client's address, believing X-Forwarded-For only from a trusted proxy."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from.

    X-Forwarded-For can be written by anyone, so it is read only when the direct peer is one of
    TRUSTED_PROXIES, and then from the right: the first hop that is not itself a trusted proxy.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _valid(hop)
        if address is None:
            break
        if address not in trusted:
            return address
    return remote
