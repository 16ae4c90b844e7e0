"""The application's modules, as the navigation shows them, and the global search registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    url_name: str  # the module's home page, once the module exists
    blurb: str | Promise

    def url(self, org_slug: str) -> tuple[str, bool]:
        """The module's page and whether it is built; unbuilt ones link to their 'coming' page."""
        try:
            return reverse(self.url_name, kwargs={"org_slug": org_slug}), True
        except NoReverseMatch:
            return reverse("coming", kwargs={"org_slug": org_slug, "module": self.key}), False


MODULES = [
    Module(
        "contacts",
        _("Contacts"),
        "contacts:list",
        _("The press file: journalists, outlets, lists, opt-outs."),
    ),
    Module(
        "releases",
        _("Releases"),
        "releases:list",
        _("Press releases: drafting, approval, embargo, newsroom and press kits."),
    ),
    Module(
        "mailings",
        _("Mailings"),
        "mailings:list",
        _("Personalised sends of releases, pitches and invitations."),
    ),
    Module(
        "events",
        _("Events"),
        "events:list",
        _("Invitations, RSVPs, accreditation, call sheets and check-in."),
    ),
    Module(
        "social", _("Social"), "social:list", _("Compose, approve, schedule and publish posts.")
    ),
    Module(
        "monitoring",
        _("Monitoring"),
        "monitoring:list",
        _("Feeds and news pages watched for mentions; alerts and clippings."),
    ),
    Module("reports", _("Reports"), "reports:list", _("Coverage reports and press reviews.")),
    Module(
        "briefings",
        _("Briefings"),
        "briefings:list",
        _("Talking points, Q&A, briefing books and media inquiries."),
    ),
]
MODULES_BY_KEY = {m.key: m for m in MODULES}


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str
    detail: str = ""


SearchProvider = Callable[[Organisation, str, int], list[SearchHit]]
SEARCH_PROVIDERS: list[SearchProvider] = []


def register_search(provider: SearchProvider) -> SearchProvider:
    """Let a module's records appear in the global search box (call from AppConfig.ready)."""
    if provider not in SEARCH_PROVIDERS:
        SEARCH_PROVIDERS.append(provider)
    return provider


def global_search(org: Organisation, query: str, limit: int = 20) -> list[SearchHit]:
    """Search every registered module of an organisation."""
    hits: list[SearchHit] = []
    for provider in SEARCH_PROVIDERS:
        hits.extend(provider(org, query, limit))
    return hits[: limit * max(1, len(SEARCH_PROVIDERS))]
