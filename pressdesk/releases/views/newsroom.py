"""The public newsroom: pages, feeds, sitemap, downloads, subscriptions, preview links.

No login. Each view reads the instant once (`newsroom_site.instant()`) and asks only for what is
public at it, so an embargoed release is absent from every path until the instant. A newsroom
turned off, an unknown organisation, a release not public yet and a revoked preview link all
answer the same 404, with `Cache-Control: no-store` so that no cache keeps an answer across the
instant. Pages are French by default; `?lang=en` switches, and when the organisation publishes in
both languages each language has its own list.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import nh3
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from pressdesk.accounts.models import Organisation
from pressdesk.releases import feeds, newsroom_search, newsroom_site, previews, subscriptions
from pressdesk.releases.links import release_url
from pressdesk.releases.models import (
    AssetKind,
    MediaAsset,
    Newsroom,
    Release,
    ReleaseVersion,
    public_q,
)
from pressdesk.releases.newsroom_cache import PUBLIC_CACHE, request_instant, reusable
from pressdesk.releases.newsroom_site import LANGUAGES, Site

# Pages, feeds and the sitemap: PUBLIC_CACHE (newsroom_cache), kept but asked again each time.
# Files and the theme may be kept a minute: before their release's instant they answer 404,
# which is never stored.
FILE_CACHE = "public, max-age=60"
NO_STORE = "no-store"


# ----------------------------------------------------------------------------- helpers


def _not_found(request: HttpRequest) -> HttpResponse:
    response = render(request, "releases/newsroom/not_found.html", {}, status=404)
    response["Cache-Control"] = NO_STORE
    return response


def _lang(request: HttpRequest, site: Site, available: list[str]) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    if site.org.language in available or not available:
        return site.org.language if site.org.language in LANGUAGES else "fr"
    return available[0]


def _languages(request: HttpRequest, site: Site, at: datetime) -> list[str]:
    """The languages with public releases: from the request's stamp when it has one."""
    stamp = getattr(request, "newsroom_stamp", None)
    if stamp is not None:
        return list(stamp.languages)
    return newsroom_site.languages_with_releases(site.org, at)


def _has_kits(request: HttpRequest, site: Site, at: datetime) -> bool:
    stamp = getattr(request, "newsroom_stamp", None)
    if stamp is not None:
        return bool(stamp.has_kits)
    return newsroom_site.public_kits(site.org, at).exists()


def _feeds(site: Site) -> dict[str, str]:
    slug = site.org.slug
    return {
        "rss": reverse("newsroom:rss", args=[slug]),
        "atom": reverse("newsroom:atom", args=[slug]),
    }


def _page(
    request: HttpRequest,
    site: Site,
    template: str,
    ctx: dict[str, Any],
    lang: str,
    *,
    at: datetime,
    private: bool = False,
    status: int = 200,
) -> HttpResponse:
    languages = ctx.pop("languages", None)
    if languages is None:
        languages = _languages(request, site, at)
    logo = site.newsroom.logo
    with translation.override(lang):
        response = render(
            request,
            template,
            {
                "site": site,
                "org": site.org,
                "newsroom": site.newsroom,
                "lang": lang,
                "languages": languages,
                "feeds": _feeds(site),
                "logo_url": _asset_path(site.org, logo) if logo else "",
                "theme_url": reverse("newsroom:theme", args=[site.org.slug]),
                "has_kits": _has_kits(request, site, at),
                **ctx,
            },
            status=status,
        )
    response["Content-Language"] = lang
    if private:
        # A preview of an embargoed release: kept out of every cache, index and referrer.
        response["Cache-Control"] = NO_STORE
        response["X-Robots-Tag"] = "noindex, nofollow"
        # same-origin: the secret in the address reaches no other site, and our own forms keep
        # their Origin header (with no-referrer Chromium sends "null" and CSRF refuses the POST).
        response["Referrer-Policy"] = "same-origin"
    else:
        response["Cache-Control"] = PUBLIC_CACHE
    return response


def _asset_path(org: Organisation, asset: MediaAsset) -> str:
    return reverse("newsroom:asset", args=[org.slug, asset.pk, _filename(asset)])


def _filename(asset: MediaAsset) -> str:
    name = (asset.filename or "file").replace("/", "_").replace("\\", "_")
    return name or "file"


def _clean(html: str) -> SafeString:
    # Versions are stored sanitised; cleaning again costs little and keeps a row written by any
    # other path from reaching readers as markup.
    return mark_safe(nh3.clean(html or ""))


def _release_html(release: Release) -> tuple[SafeString, bool]:
    """The release as its template lays it out (relcore's `render_release_html`), and whether
    that full layout was available (else the body alone, laid out by our template)."""
    version = newsroom_site.public_version(release)
    if version is None:
        return mark_safe(""), False
    try:
        rendering = importlib.import_module("pressdesk.releases.rendering")
    except ImportError:
        return _clean(version.body_html), False
    # The stored HTML was sanitised at save; cleaned again on a copy, so that a row written by
    # any other path never reaches readers as markup.
    copy = ReleaseVersion(
        pk=version.pk,
        release=release,
        number=version.number,
        title=version.title,
        subtitle=version.subtitle,
        dateline=version.dateline,
        lead=version.lead,
        body_html=nh3.clean(version.body_html or ""),
        boilerplate_html=nh3.clean(version.boilerplate_html or ""),
        contact_block_html=nh3.clean(version.contact_block_html or ""),
    )
    return rendering.render_release_html(copy), True


def _number(value: int, lang: str) -> str:
    """A number as the page's language writes it: "1 000" (no-break space) in French."""
    with translation.override(lang):
        return number_format(value, force_grouping=True)


def _json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json">: "<", ">" and "&" as \\u escapes, so no
    text in it can close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


NewsroomView = Callable[..., HttpResponseBase]


def newsroom_page(view: NewsroomView) -> NewsroomView:
    """Resolve `org_slug` to the organisation's newsroom and hand the view its Site; an unknown
    organisation or a newsroom turned off answers the newsroom's 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        site = newsroom_site.site_for(org_slug)
        if site is None:
            return _not_found(request)
        return view(request, site, *args, **kwargs)

    return wrapper


# ----------------------------------------------------------------------------- pages


@require_GET
@newsroom_page
@reusable
def home(request: HttpRequest, site: Site) -> HttpResponse:
    """The release list: newest first, searched, filtered by topic, per language, paginated."""
    at = request_instant(request)
    languages = _languages(request, site, at)
    lang = _lang(request, site, languages)
    releases = newsroom_site.public_releases(site.org, at)
    if len(languages) > 1:
        releases = newsroom_site.in_language(releases, lang)
    topics = list(newsroom_site.public_topics(site.org, at))
    topic = request.GET.get("topic", "")
    if topic:
        releases = newsroom_site.under_topic(site.org, releases, topic)
    query = request.GET.get("q", "").strip()[:200]
    found = newsroom_site.search(releases, query) if query else None
    listed = newsroom_site.list_page(
        site.org, found or releases, request.GET.get("page"), newsroom_site.PAGE_SIZE
    )
    keep = {k: v for k, v in (("q", query), ("topic", topic), ("lang", lang)) if v}
    ctx = {
        "page": listed.page,
        "items": listed.items,
        "topics": topics,
        "topic": topic,
        "query": query,
        "capped": listed.capped,
        "cap": _number(newsroom_search.CAP, lang),
        "keep": urlencode(keep),
        "languages": languages,
        "home_url": reverse("newsroom:home", args=[site.org.slug]),
        "kits": list(newsroom_site.public_kits(site.org, at)[:6]) if not query else [],
    }
    return _page(request, site, "releases/newsroom/home.html", ctx, lang, at=at)


def _release_context(release: Release, site: Site, asset_url: Any) -> dict[str, Any]:
    version = newsroom_site.public_version(release)
    assets = newsroom_site.attachments(release)
    images = [a for a in assets if a.kind == AssetKind.IMAGE]
    downloads = [a for a in assets if a.kind != AssetKind.IMAGE]
    title = version.title if version else release.title
    lead = version.lead if version else ""
    url = release_url(release)
    image_url = feeds.absolute(asset_url(images[0])) if images else ""
    published = release.visible_from
    modified = max(release.updated, published) if published else release.updated
    lang = newsroom_site.language_of(release.template)
    organisation = {"@type": "Organization", "name": site.org.name}
    if site.newsroom.logo_id and site.newsroom.logo:
        organisation["logo"] = feeds.absolute(_asset_path(site.org, site.newsroom.logo))
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title[:110],
        "description": lead,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat(),
        "inLanguage": release.template,
        "author": organisation,
        "publisher": organisation,
    }
    if image_url:
        article["image"] = [image_url]
    body, full_layout = _release_html(release)
    return {
        "release": release,
        "version": version,
        "title": title,
        "lead": lead,
        "body": body,
        "full_layout": full_layout,
        "about": _clean(version.boilerplate_html) if version else "",
        "contact_block": _clean(version.contact_block_html) if version else "",
        "images": [(a, asset_url(a)) for a in images],
        "downloads": [(a, asset_url(a)) for a in downloads],
        "canonical": url,
        "og_image": image_url,
        "og_locale": "en_GB" if lang == "en" else release.template.replace("-", "_"),
        "json_ld": _json_ld(article),
        "translation": release.translation,
        "topics_of_release": list(release.topics.all()),
    }


@require_GET
@newsroom_page
@reusable
def release_page(request: HttpRequest, site: Site, slug: str) -> HttpResponse:
    """One public release: its text, images with caption and credit, downloads, metadata."""
    at = request_instant(request)
    release = newsroom_site.public_release(site.org, slug, at)
    if release is None:
        return _not_found(request)
    release.org = site.org  # its address needs it: no second query for the organisation
    ctx = _release_context(release, site, lambda a: _asset_path(site.org, a))
    other = release.translation
    if other is not None and other.org_id == site.org.pk and other.is_public(at):
        ctx["translation_url"] = reverse("newsroom:release", args=[site.org.slug, other.slug])
        ctx["translation_lang"] = newsroom_site.language_of(other.template)
    else:
        ctx["translation"] = None
    lang = newsroom_site.language_of(release.template)
    return _page(request, site, "releases/newsroom/release.html", ctx, lang, at=at)


@require_GET
@newsroom_page
@reusable
def kit_page(request: HttpRequest, site: Site, slug: str) -> HttpResponse:
    """A public press kit: its parts in order, its images with caption, credit and rights."""
    at = request_instant(request)
    kit = newsroom_site.public_kits(site.org, at).filter(slug=slug).first()
    if kit is None:
        return _not_found(request)
    parts = newsroom_site.kit_parts(kit, at)
    ctx = {
        "kit": kit,
        "intro": _clean(kit.intro_html),
        "parts": [
            (
                part,
                _clean(part.body_html),
                _asset_path(site.org, part.asset) if part.asset else "",
            )
            for part in parts
        ],
    }
    lang = newsroom_site.language_of(kit.language)
    return _page(request, site, "releases/newsroom/kit.html", ctx, lang, at=at)


@require_GET
@newsroom_page
@reusable
def kits_list(request: HttpRequest, site: Site) -> HttpResponse:
    """The newsroom's public press kits, newest first, with their cover image if any."""
    at = request_instant(request)
    languages = _languages(request, site, at)
    lang = _lang(request, site, languages)
    kits = newsroom_site.public_kits(site.org, at).select_related("cover")
    ctx = {
        "languages": languages,
        "kits": [
            (
                kit,
                _asset_path(site.org, kit.cover) if kit.cover else "",
                nh3.clean(kit.intro_html or "", tags=set()),
            )
            for kit in kits
        ],
    }
    return _page(request, site, "releases/newsroom/kits.html", ctx, lang, at=at)


@require_GET
@newsroom_page
def press_contacts(request: HttpRequest, site: Site) -> HttpResponse:
    """The people journalists can call: chosen in the newsroom's settings."""
    at = newsroom_site.instant()
    languages = _languages(request, site, at)
    lang = _lang(request, site, languages)
    people = (
        list(site.newsroom.press_contacts.prefetch_related("emails", "phones"))
        if site.newsroom.pk
        else []
    )
    ctx = {"people": people, "languages": languages}
    return _page(request, site, "releases/newsroom/contacts.html", ctx, lang, at=at)


@require_GET
@newsroom_page
def theme_css(request: HttpRequest, site: Site) -> HttpResponse:
    """The newsroom's colours as CSS custom properties (the CSP allows no inline style)."""
    colours = newsroom_site.theme(site.newsroom)
    css = (
        ":root{"
        f"--nr-primary:{colours['primary']};--nr-on-primary:{colours['on_primary']};"
        f"--nr-accent:{colours['accent']};--nr-link:{colours['link']};"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = FILE_CACHE
    return response


@require_GET
@newsroom_page
def asset(request: HttpRequest, site: Site, asset_id: int, filename: str) -> HttpResponseBase:
    """An image or file, served only while a release or kit it belongs to is public."""
    found = newsroom_site.public_asset(site.org, asset_id, newsroom_site.instant())
    if found is None:
        return _not_found(request)
    return _file(found, FILE_CACHE)


def _file(found: MediaAsset, cache: str) -> HttpResponseBase:
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        missing = HttpResponse(status=404)
        missing["Cache-Control"] = NO_STORE
        return missing
    is_image = found.kind in (AssetKind.IMAGE, AssetKind.LOGO)
    response = FileResponse(
        handle,
        as_attachment=not is_image,
        filename=_filename(found),
        content_type=found.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded SVG or HTML file must not run anything in our origin.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


# ----------------------------------------------------------------------------- feeds


def _feed(request: HttpRequest, site: Site, kind: str) -> HttpResponse:
    lang = request.GET.get("lang", "")
    xml, content_type = feeds.feed(
        site, kind, request_instant(request), lang if lang in LANGUAGES else None
    )
    response = HttpResponse(xml, content_type=content_type)
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
@newsroom_page
@reusable
def rss(request: HttpRequest, site: Site) -> HttpResponse:
    """RSS 2.0: the latest public releases."""
    return _feed(request, site, "rss")


@require_GET
@newsroom_page
@reusable
def atom(request: HttpRequest, site: Site) -> HttpResponse:
    """Atom 1.0: the latest public releases."""
    return _feed(request, site, "atom")


@require_GET
@newsroom_page
@reusable
def sitemap(request: HttpRequest, site: Site, page: int | None = None) -> HttpResponse:
    """sitemap.xml: the newsroom's pages and every public release, with lastmod; past
    feeds.SITEMAP_PAGE releases, an index of pages (sitemap-<n>.xml)."""
    xml = feeds.sitemap(site, request_instant(request), page)
    if xml is None:
        return _not_found(request)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """/robots.txt: names the sitemap of every newsroom that is online."""
    # all-orgs: robots.txt speaks for the whole site: every online newsroom with a public release
    off = Newsroom.objects.filter(enabled=False).values("org_id")
    # all-orgs: the same, the organisations that have a release public now
    publishing = Release.objects.filter(public_q(newsroom_site.instant())).values("org_id")
    slugs = list(
        Organisation.objects.filter(pk__in=publishing)
        .exclude(pk__in=off)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    response = HttpResponse(feeds.robots(slugs), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


# ----------------------------------------------------------------------------- subscriptions


@require_http_methods(["GET", "POST"])
@newsroom_page
def subscribe(request: HttpRequest, site: Site) -> HttpResponse:
    """The subscription form; a POST mails a confirmation link (double opt-in)."""
    at = newsroom_site.instant()
    languages = _languages(request, site, at)
    lang = _lang(request, site, languages)
    ctx: dict[str, Any] = {"languages": languages, "error": ""}
    status = 200
    if request.method == "POST":
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        email = request.POST.get("email", "").strip()[:254]
        wanted = request.POST.get("language", lang)
        try:
            validate_email(email)
        except ValidationError:
            ctx["error"] = "email"
            ctx["email"] = email
            status = 400
        else:
            subscriptions.ask(site.org, email, wanted)
            ctx["asked"] = True
    return _page(request, site, "releases/newsroom/subscribe.html", ctx, lang, at=at, status=status)


def _subscriber_page(
    request: HttpRequest, site: Site, signed: str, *, confirming: bool
) -> HttpResponse:
    """A page reached from a subscription mail: a GET shows a button (mail scanners fetch every
    link), the POST acts."""
    subscriber = subscriptions.from_link(site.org, signed, confirming=confirming)
    if subscriber is None:
        return _not_found(request)
    done = request.method == "POST"
    if done:
        if confirming:
            subscriptions.confirm(subscriber)
        else:
            subscriptions.unsubscribe(subscriber)
    template = "confirm" if confirming else "unsubscribe"
    return _page(
        request,
        site,
        f"releases/newsroom/{template}.html",
        {"done": done, "subscriber": subscriber},
        subscriber.language if subscriber.language in LANGUAGES else "fr",
        at=newsroom_site.instant(),
        private=True,
    )


@require_http_methods(["GET", "POST"])
@newsroom_page
def confirm(request: HttpRequest, site: Site, signed: str) -> HttpResponse:
    """The link in the confirmation mail: the POST confirms the subscription."""
    return _subscriber_page(request, site, signed, confirming=True)


# RFC 8058: mail clients POST `List-Unsubscribe=One-Click` without a cookie, hence no CSRF token;
# the worst a forged request can do is stop mail.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@newsroom_page
def unsubscribe(request: HttpRequest, site: Site, signed: str) -> HttpResponse:
    """The link in every subscriber mail: the POST (or a one-click) ends the subscription."""
    return _subscriber_page(request, site, signed, confirming=False)


# ----------------------------------------------------------------------------- preview links


@require_GET
@newsroom_page
def preview(request: HttpRequest, site: Site, token: str) -> HttpResponse:
    """An embargoed release through a journalist's personal link; each opening is logged."""
    link = previews.live_link(site.org, token)
    if link is None:
        return _not_found(request)
    previews.log_view(link, request)
    release = link.release
    at = newsroom_site.instant()

    def asset_url(a: MediaAsset) -> str:
        return reverse("newsroom:preview_asset", args=[site.org.slug, token, a.pk, _filename(a)])

    ctx = _release_context(release, site, asset_url)
    ctx.update(
        {
            "preview": True,
            "embargoed": not release.is_public(at),
            "embargo_until": release.visible_from or release.embargo_until,
            "json_ld": "",
            "translation": None,
        }
    )
    lang = newsroom_site.language_of(release.template)
    with translation.override(lang):
        return _page(
            request, site, "releases/newsroom/release.html", ctx, lang, at=at, private=True
        )


@require_GET
@newsroom_page
def preview_asset(
    request: HttpRequest, site: Site, token: str, asset_id: int, filename: str
) -> HttpResponseBase:
    """An image or file of the release a live preview link opens."""
    link = previews.live_link(site.org, token)
    if link is None:
        return _not_found(request)
    found = (
        MediaAsset.objects.for_org(site.org)
        .filter(pk=asset_id, release_uses__release=link.release)
        .first()
    )
    if found is None:
        return _not_found(request)
    return _file(found, NO_STORE)


urlpatterns: list[URLPattern] = [
    path("<slug:org_slug>/", home, name="home"),
    path("<slug:org_slug>/theme.css", theme_css, name="theme"),
    path("<slug:org_slug>/rss.xml", rss, name="rss"),
    path("<slug:org_slug>/atom.xml", atom, name="atom"),
    path("<slug:org_slug>/sitemap.xml", sitemap, name="sitemap"),
    path("<slug:org_slug>/sitemap-<int:page>.xml", sitemap, name="sitemap_page"),
    path("<slug:org_slug>/contacts/", press_contacts, name="contacts"),
    path("<slug:org_slug>/subscribe/", subscribe, name="subscribe"),
    path("<slug:org_slug>/subscribe/<str:signed>/", confirm, name="confirm"),
    path("<slug:org_slug>/unsubscribe/<str:signed>/", unsubscribe, name="unsubscribe"),
    path("<slug:org_slug>/preview/<str:token>/", preview, name="preview"),
    path(
        "<slug:org_slug>/preview/<str:token>/files/<int:asset_id>/<str:filename>",
        preview_asset,
        name="preview_asset",
    ),
    path("<slug:org_slug>/files/<int:asset_id>/<str:filename>", asset, name="asset"),
    path("<slug:org_slug>/kits/", kits_list, name="kits"),
    path("<slug:org_slug>/kits/<slug:slug>/", kit_page, name="kit"),
    path("<slug:org_slug>/<slug:slug>/", release_page, name="release"),
]
