"""The application's modules: one registration each, which the core reads and never names.

A module calls `register(Module(...))` from its AppConfig.ready() (see contacts/module.py). The
core then mounts its pages under /o/<org>/<key>/ (and any public prefix), its API router, its
navigation entry, its periodic jobs, its demo loader, its global-search provider, its dashboard
card, its stylesheets and its `pressdesk` sub-commands. Modules planned but not built are a
plain list of words (PLANNED): the navigation shows them as "coming", and nothing imports them.
docs/architecture.md ("How to add a module") is the recipe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from pressdesk.accounts.access import OrgRequest
    from pressdesk.accounts.models import Organisation


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str
    detail: str = ""


SearchProvider = Callable[["Organisation", str, int], list[SearchHit]]


@dataclass(frozen=True)
class Periodic:
    """A job the worker runs about every `every_seconds` (see pressdesk/scheduler.py)."""

    name: str
    every_seconds: float
    func: Callable[[], object]


@dataclass(frozen=True)
class DashboardCard:
    """A card on the organisation's dashboard: a template and the function that fills it.

    `context(request)` returns the template's context, or None to show nothing to this member.
    """

    template: str
    context: Callable[[OrgRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class ContactPanel:
    """A read-only section of the contact page: a template and the function that fills it.

    `context(request, contact)` returns the template's context, or None to show nothing.
    """

    template: str
    context: Callable[[OrgRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Module:
    key: str  # the URL segment: /o/<org>/<key>/
    label: str | Promise
    blurb: str | Promise
    order: int = 100  # place in the navigation
    home: str = ""  # URL name of the module's first page, e.g. "contacts:list"
    urls: str = ""  # dotted path of the URLconf mounted under o/<slug:org_slug>/<key>/
    public_urls: tuple[tuple[str, str], ...] = ()  # (prefix, URLconf) for pages without login
    api: str = ""  # "dotted.module:router", a django-ninja Router
    api_prefix: str = ""  # default "/<key>/", under /api/v1/
    periodic: tuple[Periodic, ...] = ()
    demo_loader: Callable[[Organisation], None] | None = None
    search: SearchProvider | None = None
    dashboard: DashboardCard | None = None
    commands: tuple[str, ...] = ()  # its management commands that `pressdesk --help` lists
    stylesheets: tuple[str, ...] = ()  # static paths every page links
    built: bool = True

    def url(self, org_slug: str) -> tuple[str, bool]:
        """The module's page and whether it is built; unbuilt ones link to their 'coming' page."""
        if self.built and self.home:
            try:
                return reverse(self.home, kwargs={"org_slug": org_slug}), True
            except NoReverseMatch:
                pass
        return reverse("coming", kwargs={"org_slug": org_slug, "module": self.key}), False


# The modules of the plan that are not built yet: words only, so nothing here can break.
PLANNED = [
    Module(
        "releases",
        _("Releases"),
        _("Press releases: drafting, approval, embargo, newsroom and press kits."),
        order=20,
        built=False,
    ),
    Module(
        "mailings",
        _("Mailings"),
        _("Personalised sends of releases, pitches and invitations."),
        order=30,
        built=False,
    ),
    Module(
        "events",
        _("Events"),
        _("Invitations, RSVPs, accreditation, call sheets and check-in."),
        order=40,
        built=False,
    ),
    Module(
        "social",
        _("Social"),
        _("Compose, approve, schedule and publish posts."),
        order=50,
        built=False,
    ),
    Module(
        "monitoring",
        _("Monitoring"),
        _("Feeds and news pages watched for mentions; alerts and clippings."),
        order=60,
        built=False,
    ),
    Module(
        "reports", _("Reports"), _("Coverage reports and press reviews."), order=70, built=False
    ),
    Module(
        "briefings",
        _("Briefings"),
        _("Talking points, Q&A, briefing books and media inquiries."),
        order=80,
        built=False,
    ),
]

REGISTRY: dict[str, Module] = {}
SEARCH_PROVIDERS: list[SearchProvider] = []
CONTACT_PANELS: list[ContactPanel] = []


def register(module: Module) -> Module:
    """Plug a module in (call from its AppConfig.ready()); registering a key again replaces it."""
    from pressdesk.scheduler import register_periodic

    REGISTRY[module.key] = module
    for job in module.periodic:
        register_periodic(job.name, job.every_seconds, job.func)
    if module.search is not None:
        register_search(module.search)
    return module


def registered() -> list[Module]:
    """The installed modules, in navigation order."""
    return sorted(REGISTRY.values(), key=lambda m: (m.order, m.key))


def navigation() -> list[Module]:
    """Every module the navigation shows: the installed ones and the planned ones, in order."""
    planned = [m for m in PLANNED if m.key not in REGISTRY]
    return sorted([*REGISTRY.values(), *planned], key=lambda m: (m.order, m.key))


def coming() -> list[Module]:
    """The planned modules not installed yet."""
    return [m for m in navigation() if not m.built]


def find(key: str) -> Module | None:
    """The module with this key, installed or planned."""
    return next((m for m in navigation() if m.key == key), None)


def register_search(provider: SearchProvider) -> SearchProvider:
    """Let a module's records appear in the global search box."""
    if provider not in SEARCH_PROVIDERS:
        SEARCH_PROVIDERS.append(provider)
    return provider


def global_search(org: Organisation, query: str, limit: int = 20) -> list[SearchHit]:
    """Search every registered module of an organisation."""
    hits: list[SearchHit] = []
    for provider in SEARCH_PROVIDERS:
        hits.extend(provider(org, query, limit))
    return hits[: limit * max(1, len(SEARCH_PROVIDERS))]


def demo_loaders() -> list[Callable[[Organisation], None]]:
    """The installed modules' demo loaders, in navigation order."""
    return [m.demo_loader for m in registered() if m.demo_loader is not None]


def stylesheets() -> list[str]:
    """The static stylesheets the installed modules add to every page."""
    return [sheet for m in registered() for sheet in m.stylesheets]


def register_contact_panel(panel: ContactPanel) -> ContactPanel:
    """Add a module's read-only section to the contact page (e.g. the mailings a contact got)."""
    if panel not in CONTACT_PANELS:
        CONTACT_PANELS.append(panel)
    return panel


def contact_panels(request: OrgRequest, contact: Any) -> list[tuple[str, dict[str, Any]]]:
    """The (template, context) of each module's section that has something to show."""
    found = []
    for panel in CONTACT_PANELS:
        context = panel.context(request, contact)
        if context is not None:
            found.append((panel.template, context))
    return found
