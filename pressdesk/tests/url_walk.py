"""The URL configuration walked route by route, for the tests that try every page.

Shared by test_shell_isolation (outsiders) and test_isolation_attack (a member of another
organisation): both enumerate the routes, so each module's pages are covered as soon as they are
routed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A URL pattern with the route segments of every resolver above it."""

    route: str
    name: str


def routes(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = "", skip: Iterable[str] = ()
) -> list[Route]:
    """Every route written with path() all the way down, but those of the namespaces skipped."""
    found: list[Route] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # re_path() routes take no organisation
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in skip:
                continue
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += routes(entry, route, namespace, skip)
        elif isinstance(entry, URLPattern):
            found.append(Route(route, f"{ns}{entry.name or '?'}"))
    return found


def model_for(
    param: str, route: str, candidates: Iterable[type[models.Model]]
) -> type[models.Model] | None:
    """The model an id parameter names: `membership_id` a membership; a bare `pk` is named by
    the segment before it. None when no candidate, or more than one, fits."""
    if param.endswith(("_id", "_pk")):
        word = param.rsplit("_", 1)[0]
    else:
        before = route.split(f":{param}>")[0].rstrip("/").split("/")
        word = next((s for s in reversed(before) if s and "<" not in s), "")
    word = word.replace("_", "").replace("-", "").lower()
    if not word:
        return None
    models_ = list(candidates)
    exact = [m for m in models_ if m._meta.model_name == word]
    ending = [m for m in models_ if (m._meta.model_name or "").endswith(word)]
    found = exact or ending
    return found[0] if len(found) == 1 else None
