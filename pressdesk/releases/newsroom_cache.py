"""What the public newsroom may reuse between requests, and for how long: never past an embargo.

A newsroom's pages depend on its releases and kits, its settings and the instant. `stamp()`
sums that up in one statement of index seeks: the organisation's last change (every state move
writes `updated`), how many releases and kits are public and the newest of each at the
instant, and the **next instant** at
which a scheduled release or kit becomes public. The next instant is part of the key: at T−1 s
the key names T, at T it names the instant after, so an answer kept before an embargo lifts is
never served after it, and an answer built after it is never served before (the key of a
request before T cannot be the key of one at T). The same stamp gives the ETag and
Last-Modified of conditional GETs.

Anything the stamp does not see (a topic renamed, a caption edited) is picked up within
MAX_AGE seconds at most. Answers are kept in Django's cache (per process unless CACHES says
otherwise); each process computes its own stamp from the database, so no process can serve
another's stale key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.http import http_date, quote_etag, urlencode

from pressdesk.releases.models import RELEASED_STATES, PressKit, Release
from pressdesk.releases.newsroom_site import TEMPLATES, Site, aware, instant

# How long an answer may be kept when no instant forces it out sooner (seconds).
MAX_AGE = 60
# Answers larger than this are rebuilt every time rather than kept (bytes).
MAX_KEPT = 2 * 1024 * 1024
_PREFIX = "newsroom:v1"


@dataclass(frozen=True)
class Stamp:
    """The state of one newsroom at one instant, as far as its public pages can tell."""

    key: str
    # The newest change readers can see: a release or kit becoming public or changing.
    last_modified: datetime | None
    # The next instant a scheduled release or kit becomes public, if any.
    next_instant: datetime | None
    # The newsroom languages with a public release, and whether a kit is public.
    languages: list[str] = field(default_factory=list)
    has_kits: bool = False

    def seconds_left(self, at: datetime) -> float:
        """How long an answer built at `at` may be kept: until MAX_AGE or the next instant."""
        if self.next_instant is None:
            return float(MAX_AGE)
        return max(0.0, min(float(MAX_AGE), (self.next_instant - at).total_seconds()))


# One statement for the whole stamp: each sub-select is an index seek (release_last_change,
# release_newsroom_order, release_public, release_language; kits are few). Table names come
# from the models, values are parameters.
_STAMP_SQL = """
SELECT
  (SELECT MAX(updated) FROM {release} WHERE org_id = %(org)s),
  (SELECT visible_from FROM {release} WHERE org_id = %(org)s AND state IN %(released)s
     AND visible_from IS NOT NULL AND visible_from <= %(at)s
     ORDER BY visible_from DESC, id DESC LIMIT 1),
  (SELECT MIN(visible_from) FROM {release} WHERE org_id = %(org)s AND state IN %(released)s
     AND visible_from > %(at)s),
  (SELECT MAX(updated) FROM {kit} WHERE org_id = %(org)s),
  (SELECT MAX(visible_from) FROM {kit} WHERE org_id = %(org)s AND published = %(yes)s
     AND withdrawn_at IS NULL AND visible_from IS NOT NULL AND visible_from <= %(at)s),
  (SELECT MIN(visible_from) FROM {kit} WHERE org_id = %(org)s AND published = %(yes)s
     AND withdrawn_at IS NULL AND visible_from > %(at)s),
  EXISTS (SELECT 1 FROM {release} WHERE org_id = %(org)s AND template IN %(fr)s
     AND state IN %(released)s AND visible_from IS NOT NULL AND visible_from <= %(at)s),
  EXISTS (SELECT 1 FROM {release} WHERE org_id = %(org)s AND template IN %(en)s
     AND state IN %(released)s AND visible_from IS NOT NULL AND visible_from <= %(at)s),
  (SELECT COUNT(*) FROM {release} WHERE org_id = %(org)s AND state IN %(released)s
     AND visible_from IS NOT NULL AND visible_from <= %(at)s),
  (SELECT COUNT(*) FROM {kit} WHERE org_id = %(org)s AND published = %(yes)s
     AND withdrawn_at IS NULL AND visible_from IS NOT NULL AND visible_from <= %(at)s)
"""


def _in_list(values: list[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def stamp(site: Site, at: datetime) -> Stamp:
    """The newsroom's stamp at `at`: one statement of index seeks, whatever the number of
    releases. Also says which languages have public releases and whether a kit is public."""
    org = site.org
    # States and templates are code constants (TextChoices), written into the statement so
    # that both databases see a plain IN list.
    sql = _STAMP_SQL.replace("%(released)s", _in_list(list(RELEASED_STATES)))
    sql = sql.replace("%(fr)s", _in_list(TEMPLATES["fr"])).replace(
        "%(en)s", _in_list(TEMPLATES["en"])
    )
    sql = sql.format(
        release=connection.ops.quote_name(Release._meta.db_table),
        kit=connection.ops.quote_name(PressKit._meta.db_table),
    )
    params = {"org": org.pk, "at": _param(at), "yes": True}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    changed, newest_public, next_release, kit_changed, newest_kit, next_kit, fr, en = row[:8]
    # How many releases and kits are public: a change made past the services (a row edited
    # by hand) still changes the key.
    counts = row[8:]
    changed, newest_public, next_release = map(aware, (changed, newest_public, next_release))
    kit_changed, newest_kit, next_kit = map(aware, (kit_changed, newest_kit, next_kit))
    nexts = [n for n in (next_release, next_kit) if n is not None]
    next_instant = min(nexts) if nexts else None
    newsroom = site.newsroom
    parts = [
        org.pk,
        org.slug,
        org.name,
        org.language,
        newsroom.pk,
        newsroom.title,
        newsroom.tagline,
        newsroom.logo_id,
        newsroom.primary_colour,
        newsroom.accent_colour,
        changed,
        newest_public,
        kit_changed,
        newest_kit,
        next_instant,
        *counts,
    ]
    key = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    seen = [d for d in (newest_public, newest_kit) if d is not None]
    # What readers can see changed last: the newest public item, or a later change to the
    # organisation's releases and kits (a withdrawal) once anything is public.
    changes = [d for d in (changed, kit_changed) if d is not None and d <= at]
    last_modified = max(seen + changes) if seen else None
    languages = [lang for lang, found in (("fr", fr), ("en", en)) if found]
    return Stamp(key, last_modified, next_instant, languages, newest_kit is not None)


def _param(at: datetime) -> Any:
    """The instant as the database compares it (SQLite: its stored text, in UTC)."""
    return connection.ops.adapt_datetimefield_value(at)


NewsroomView = Callable[..., HttpResponseBase]


def reusable(view: NewsroomView) -> NewsroomView:
    """Keep a public newsroom answer under the newsroom's stamp, and answer conditional GETs.

    Wraps a view taking `(request, site, ...)`, below `newsroom_page`. The instant the stamp is
    read at is handed to the view (`request_instant`), so the answer and its key agree. Only a
    200 marked public is kept; a 404 (an embargoed release) never is, and carries no-store.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, site: Site, *args: Any, **kwargs: Any) -> HttpResponseBase:
        at = instant()
        request.newsroom_instant = at  # type: ignore[attr-defined]
        current = stamp(site, at)
        request.newsroom_stamp = current  # type: ignore[attr-defined]
        key = f"{_PREFIX}:{site.org.pk}:{current.key}:{_address(request)}"
        # One ETag per address and stamp: an address only ever gave out the ETag of its own
        # 200, so a 304 can never stand in for another page or for a 404.
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        if etag in _if_none_match(request):
            return _not_modified(etag, current)
        kept = cache.get(key)
        if kept is not None:
            body, headers = kept
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            return response
        answer = view(request, site, *args, **kwargs)
        if (
            answer.status_code != 200
            or answer.get("Cache-Control") != PUBLIC_CACHE
            or not isinstance(answer, HttpResponse)
        ):
            return answer
        response = answer
        response["ETag"] = etag
        if current.last_modified is not None:
            response["Last-Modified"] = http_date(current.last_modified.timestamp())
        seconds = current.seconds_left(at)
        if seconds > 0 and len(response.content) <= MAX_KEPT:
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("set-cookie", "vary")
            ]
            cache.set(key, (response.content, headers), seconds)
        return response

    return wrapper


# The query parameters newsroom pages read; any other is ignored by the views, and by the key,
# so that made-up parameters neither fill the cache nor miss it.
_READ = ("lang", "page", "q", "topic")


def _address(request: HttpRequest) -> str:
    """The page asked for, as a short key: its path and the parameters the views read."""
    read = [(name, request.GET.get(name, "")) for name in _READ if name in request.GET]
    address = f"{request.path}?{urlencode(read)}"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def request_instant(request: HttpRequest) -> datetime:
    """The instant this request is served at: the one its stamp was read at, if any."""
    at = getattr(request, "newsroom_instant", None)
    return at if isinstance(at, datetime) else instant()


def _if_none_match(request: HttpRequest) -> list[str]:
    header = request.headers.get("If-None-Match", "")
    return [part.strip() for part in header.split(",") if part.strip()]


def _not_modified(etag: str, current: Stamp) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    if current.last_modified is not None:
        response["Last-Modified"] = http_date(current.last_modified.timestamp())
    return response


# Pages, feeds and the sitemap change at instants no max-age can foresee (an embargo lifting, a
# withdrawal): caches may keep them but must ask again each time (a 304 when nothing changed).
PUBLIC_CACHE = "public, no-cache"
