"""Every URL pattern of the application, with its parameters filled in from the demo's objects.

The page-width test walks Django's URL resolver rather than a list of pages, so that a module
added tomorrow is covered without anyone writing a line. A parameter is filled in from its name:
`org_slug` is the demo organisation, `contact_id` (or `pk` after a `contact/` segment) is one of
its contacts, and so on for any model. What cannot be guessed (signed tokens, reset links) comes
from EXAMPLES; a pattern with neither is reported, so the walk never skips a page silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pressdesk.accounts.models import Organisation, User

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
    from django.urls import NoReverseMatch, reverse

    from pressdesk.modules import MODULES

    def built(url_name: str) -> bool:
        try:
            reverse(url_name, kwargs={"org_slug": demo.org.slug})
        except NoReverseMatch:
            return False
        return True

    waiting = [m for m in MODULES if not built(m.url_name)] or list(MODULES)
    return {"module": waiting[0].key}


# Parameters the walk cannot guess, by view name. Add yours here when the walk asks for it.
EXAMPLES: dict[str, Callable[[Demo], dict[str, str]]] = {
    "accounts:accept_invitation": _pending_invitation,
    "accounts:password_reset_confirm": _reset_link,
    "coming": _module_not_built,
    "contacts_public:preferences": _preference_token,
    "contacts_public:never_contact": _preference_token,
    "contacts_public:hear_again": _preference_token,
    "contacts_public:keep": _preference_token,
    "contacts_public:unsubscribe": _preference_token,
}

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route, its name (if any) and the view behind it."""

    route: str
    name: str
    callback: Callable[..., Any]
    is_regex: bool

    @property
    def label(self) -> str:
        return self.name or self.route

    @property
    def parameters(self) -> list[str]:
        return [m["name"] for m in _PARAMETER.finditer(self.route)]


def routes(
    resolver: URLResolver | None = None, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Every URL pattern under `resolver` (the project's root by default), depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        is_regex = not isinstance(entry.pattern, RoutePattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            if inner and inner[0] in EXCLUDED_NAMESPACES:
                continue
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            if namespaces[:1] == (API_NAMESPACE,) and name not in API_PAGES:
                continue
            yield Route(prefix + str(entry.pattern), name, entry.callback, is_regex)


def _candidates(route: Route, parameter: str) -> list[str]:
    """Model names a parameter may stand for: `contact_id` → contact; `…/contact/<pk>` → contact."""
    if parameter.endswith("_id"):
        return [parameter[: -len("_id")].replace("_", "")]
    if parameter in ("pk", "id"):
        before = route.route.split(f"<int:{parameter}>")[0].rstrip("/").rsplit("/", 1)[-1]
        word = before.replace("-", "").replace("_", "").lower()
        return [word, word.removesuffix("s")]
    return []


def _model_for(route: Route, parameter: str) -> type[models.Model] | None:
    """The model a parameter names, preferring the view's own app (`job` there is ImportJob)."""
    names = _candidates(route, parameter)
    if not names:
        return None
    own = apps.get_containing_app_config(route.callback.__module__)
    pools = [list(own.get_models()) if own else [], list(apps.get_models())]
    for pool in pools:
        exact = [m for m in pool if m._meta.model_name in names]
        if len(exact) == 1:
            return exact[0]
        suffixed = [m for m in pool if any(str(m._meta.model_name).endswith(n) for n in names)]
        if len(suffixed) == 1:
            return suffixed[0]
    return None


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
    if route.is_regex:
        return "", "a regular-expression pattern: add an example to EXAMPLES"
    values: dict[str, str] = {}
    problem = ""
    if route.name in EXAMPLES:
        values = EXAMPLES[route.name](demo)
    for parameter in route.parameters:
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
            converter = next(
                m["converter"] for m in _PARAMETER.finditer(route.route) if m["name"] == parameter
            )
            found = _PLACEHOLDERS.get(converter or "str", "example")
        values[parameter] = found
    path = _PARAMETER.sub(lambda m: values[m["name"]], route.route)
    return "/" + path, problem
