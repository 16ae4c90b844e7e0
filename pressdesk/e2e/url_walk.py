"""Every URL pattern of the application, with its parameters filled in from the demo's objects.

The page-width test walks Django's URL resolver (through the walker the isolation tests share,
pressdesk/tests/url_walk.py) rather than a list of pages, so that a module added tomorrow is
covered without anyone writing a line. A parameter is filled in from its name:
`org_slug` is the demo organisation, `contact_id` (or `pk` after a `contact/` segment) is one of
its contacts, and so on for any model. What cannot be guessed (signed tokens, reset links) comes
from EXAMPLES; a pattern with neither is reported, so the walk never skips a page silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pressdesk.accounts.models import Organisation, User
from pressdesk.tests.url_walk import PARAM, Route, model_for
from pressdesk.tests.url_walk import routes as shared_routes

# Not pages of ours: Django's admin (it has its own look, and is reached through our login), and
# the JSON API, read with a bearer token by programs, not by a person in a browser. The API's
# documentation page is a page, and is walked.
EXCLUDED_NAMESPACES = {"admin"}
API_NAMESPACE = "api"
API_PAGES = {"api:openapi-view"}


@dataclass(frozen=True)
class Demo:
    """What the walk resolves parameters from: the demo organisation and its director."""

    org: Organisation
    director: User


def _reset_link(demo: Demo) -> dict[str, str]:
    user = demo.director
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _preference_token(demo: Demo) -> dict[str, str]:
    from pressdesk.contacts.models import Contact
    from pressdesk.contacts.preferences import token_for

    contact = Contact.objects.filter(org=demo.org).order_by("pk").first()
    assert contact is not None, "the demo has no contact"
    return {"token": token_for(contact)}


def _pending_invitation(demo: Demo) -> dict[str, str]:
    from pressdesk.e2e.screenshots import PENDING_INVITATION_TOKEN

    return {"token": PENDING_INVITATION_TOKEN}


def _module_not_built(demo: Demo) -> dict[str, str]:
    from pressdesk.modules import coming

    waiting = coming()
    assert waiting, "every module is built: the 'coming' page has nothing to show"
    return {"module": waiting[0].key}


def _newsroom(demo: Demo) -> dict[str, str]:
    """The demo newsroom's public release, its first image, preview link and subscriber links."""
    from pressdesk.releases import demo_newsroom, subscriptions
    from pressdesk.releases.models import (
        PressKit,
        PreviewLink,
        Release,
        Subscriber,
        kit_public_q,
        public_q,
    )

    demo_newsroom.load(demo.org)
    public = Release.objects.for_org(demo.org).filter(public_q())
    release = public.filter(attachments__isnull=False).order_by("pk").first()
    link = PreviewLink.objects.for_org(demo.org).order_by("pk").first()
    subscriber = Subscriber.objects.for_org(demo.org).order_by("pk").first()
    assert release and link and subscriber, "the demo has no newsroom"
    picture = release.attachments.order_by("position").first()
    signed = subscriptions.confirm_url(subscriber).rstrip("/").rsplit("/", 1)[-1]
    kit = PressKit.objects.for_org(demo.org).filter(kit_public_q()).order_by("pk").first()
    return {
        "slug": release.slug,
        "kit_slug": kit.slug if kit else "",
        "token": link.token,
        "signed": signed,
        "asset_id": str(picture.asset_id if picture else 0),
        "filename": "image.svg",
    }


def _newsroom_unsubscribe(demo: Demo) -> dict[str, str]:
    """The demo subscriber's unsubscribe link."""
    from pressdesk.releases import subscriptions
    from pressdesk.releases.models import Subscriber

    values = _newsroom(demo)
    subscriber = Subscriber.objects.for_org(demo.org).order_by("pk").first()
    assert subscriber is not None
    values["signed"] = subscriptions.unsubscribe_url(subscriber).rstrip("/").rsplit("/", 1)[-1]
    return values


def _newsroom_kit(demo: Demo) -> dict[str, str]:
    """The demo's public press kit."""
    values = _newsroom(demo)
    assert values["kit_slug"], "the demo has no public press kit"
    return {"slug": values["kit_slug"]}


def _newsroom_preview(demo: Demo) -> dict[str, str]:
    """The demo's preview link and an image of its embargoed release."""
    from pressdesk.releases.models import PreviewLink

    values = _newsroom(demo)
    link = PreviewLink.objects.for_org(demo.org).order_by("pk").first()
    assert link is not None
    picture = link.release.attachments.order_by("position").first()
    values["asset_id"] = str(picture.asset_id if picture else 0)
    return values


def _release_version(demo: Demo) -> dict[str, str]:
    """A version of the release it is filed under (any version would be another's)."""
    from pressdesk.releases.models import ReleaseVersion

    version = (
        ReleaseVersion.objects.filter(release__org=demo.org).order_by("release", "number").first()
    )
    assert version is not None, "the demo has no release"
    return {"release_id": str(version.release_id), "version_id": str(version.pk)}


def _mailing_recipient(demo: Demo) -> dict[str, str]:
    """The signed unsubscribe token of the demo mailing's first recipient."""
    from pressdesk.mailings import unsubscribe
    from pressdesk.mailings.models import Recipient

    row = Recipient.objects.for_org(demo.org).order_by("pk").first()
    assert row is not None, "the demo has no mailing recipient"
    return {"token": unsubscribe.token_for(row.mailing_id, row.pk)}


# Parameters the walk cannot guess, by view name. Add yours here when the walk asks for it.
def _mailing(demo: Demo) -> dict[str, str]:
    """A draft mailing of the demo, to one of its contacts (made here if the demo has none)."""
    from pressdesk.contacts.models import Contact
    from pressdesk.mailings.models import Mailing

    contact = Contact.objects.for_org(demo.org).order_by("pk").first()
    assert contact is not None, "the demo has no contact"
    mailing = Mailing.objects.for_org(demo.org).order_by("pk").first()
    if mailing is None:
        mailing = Mailing.objects.for_org(demo.org).create(
            org=demo.org,
            kind="free",
            subject="Invitation presse : {{ outlet }}",
            body="{{ greeting }},\n\nNous serions ravis de vous accueillir.",
            created_by=demo.director,
        )
        mailing.contacts.add(contact)
    return {"mailing_id": str(mailing.pk), "contact_id": str(contact.pk)}


def _mailing_link(demo: Demo) -> dict[str, str]:
    """A mailing's public link as a preview carries it: the neutral page, which changes nothing."""
    return {"token": "preview"}


EXAMPLES: dict[str, Callable[[Demo], dict[str, str]]] = {
    "accounts:accept_invitation": _pending_invitation,
    "accounts:password_reset_confirm": _reset_link,
    "coming": _module_not_built,
    "contacts_public:preferences": _preference_token,
    "contacts_public:never_contact": _preference_token,
    "contacts_public:hear_again": _preference_token,
    "contacts_public:keep": _preference_token,
    "contacts_public:unsubscribe": _preference_token,
    "newsroom:release": _newsroom,
    "newsroom:asset": _newsroom,
    "newsroom:preview": _newsroom,
    "newsroom:confirm": _newsroom,
    "newsroom:unsubscribe": _newsroom_unsubscribe,
    "newsroom:preview_asset": _newsroom_preview,
    "newsroom:kit": _newsroom_kit,
    "newsroom:sitemap_page": lambda demo: {"page": "1"},
    "releases:version": _release_version,
    "mailings:followups": _mailing,
    "mailings:compose_edit": _mailing,
    "mailings:compose_preview": _mailing,
    "mailings:compose_preview_html": _mailing,
    "mailings:compose_test": _mailing,
    "mailings:outbox_resume": lambda demo: {"name": "contacts.notice"},
    # The real confirmation page of a real recipient; the others' neutral page for a preview.
    "mailings_public:unsubscribe": _mailing_recipient,
    "mailings_public:click": _mailing_link,
    "mailings_public:open": _mailing_link,
}


def routes() -> list[Route]:
    """Every route of the application a browser may open: not the admin's, and of the API only
    its documentation page."""
    return [
        route
        for route in shared_routes(skip=EXCLUDED_NAMESPACES)
        if not route.name.startswith(f"{API_NAMESPACE}:") or route.name in API_PAGES
    ]


def parameters(route: Route) -> list[tuple[str, str]]:
    """(converter, name) of each of the route's parameters."""
    return [(m["converter"] or "str", m["name"]) for m in PARAM.finditer(route.route)]


def _model_for(route: Route, parameter: str) -> type[models.Model] | None:
    """The model a parameter names, preferring the route's own app (`job` there is ImportJob)."""
    own = apps.app_configs.get(route.name.split(":")[0]) if ":" in route.name else None
    if own is not None:
        found = model_for(parameter, route.route, own.get_models())
        if found is not None:
            return found
    return model_for(parameter, route.route, apps.get_models())


def _org_filter(model: type[models.Model], org: Organisation) -> dict[str, Any] | None:
    """How to keep to the demo organisation's rows: `org=…`, or through one foreign key."""
    fields = {f.name: f for f in model._meta.get_fields()}
    if "org" in fields:
        return {"org": org}
    for field in fields.values():
        target = getattr(field, "related_model", None)
        if (
            field.many_to_one
            and target is not None
            and any(f.name == "org" for f in target._meta.get_fields())
        ):
            return {f"{field.name}__org": org}
    return None


def _object_id(model: type[models.Model], demo: Demo) -> str | None:
    scope = _org_filter(model, demo.org)
    rows = model._default_manager.all()
    if scope is not None:
        rows = rows.filter(**scope)
    pk = rows.order_by("pk").values_list("pk", flat=True).first()
    return None if pk is None else str(pk)


# Stand-ins for what the walk could not fill in: enough to learn that a URL is POST-only (405),
# which matters before any object is looked up.
_PLACEHOLDERS = {"int": "0", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def resolve(route: Route, demo: Demo) -> tuple[str, str]:
    """The route's path with its parameters filled in, and why it could not be, if it could not.

    A parameter that cannot be filled in gets a stand-in, so that the caller can still ask the URL
    whether it takes GET at all; the reason is then non-empty.
    """
    values: dict[str, str] = {}
    problem = ""
    if route.name in EXAMPLES:
        values = EXAMPLES[route.name](demo)
    for converter, parameter in parameters(route):
        if parameter in values:
            continue
        if parameter == "org_slug":
            values[parameter] = demo.org.slug
            continue
        model = _model_for(route, parameter)
        found = _object_id(model, demo) if model is not None else None
        if found is None:
            if model is None:
                problem = f"cannot tell which model `{parameter}` names: add an example to EXAMPLES"
            else:
                problem = f"the demo has no {model.__name__} for `{parameter}`: add one to the demo"
            found = _PLACEHOLDERS.get(converter, "example")
        values[parameter] = found
    path = PARAM.sub(lambda m: values[m["name"]], route.route)
    return "/" + path, problem
