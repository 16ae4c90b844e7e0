"""A member of one organisation attacks another's data through their own URLs.

Organisation A holds one object of every model that has an `org` (and of every model hanging off
one). Organisation B has a director who owns nothing. For every URL pattern and API route that
takes an id, B's director asks for B's own URL (B's slug) with A's ids, in GET, POST, PATCH and
DELETE. A forgotten organisation filter shows as a 2xx/3xx, as A's text in a response, or as a
change in A's rows: each fails the test. A 500 fails it too.

Nothing here names a module: the walk enumerates the URL configuration and the models, so a new
module is attacked as soon as it is routed. A parameter the walk cannot fill fails with the
pattern's name, to be given an example in EXAMPLES.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pressdesk.accounts import services
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.api import api
from pressdesk.tests.url_walk import PARAM, Route, model_for, routes

# Every text A's objects hold carries this mark: it must never appear in a page B is shown.
MARK = "zqxa"
METHODS = ("get", "post", "patch", "delete")
REFUSED = {403, 404, 405}
# Parameters that name nothing to attack: the organisation (B's own slug) and a module's key.
NOT_IDS = {"org_slug", "module"}
# A's primary keys start here, one block per model, all ending in 7: no row B creates during
# the walk (the next id of a table) can share one.
PK_BASE, PK_BLOCK = 7_000_007, 1_000


@dataclass
class OrgA:
    """Organisation A and its objects, one per model."""

    org: Organisation
    objects: dict[type[models.Model], models.Model] = field(default_factory=dict)

    def pk(self, model: type[models.Model]) -> Any:
        return self.objects[model].pk


# Secrets in public links cannot come from A's ids alone: each such route gets a forged one made
# from them. Keys are route names, or a namespace followed by ":".
EXAMPLES: dict[str, Callable[[OrgA], dict[str, str]]] = {
    "contacts_public:": lambda a: {
        "token": f"{a.org.pk}.{a.pk(apps.get_model('contacts', 'Contact'))}.forged"
    },
    "accounts:accept_invitation": lambda a: {
        "token": f"forged-{a.pk(apps.get_model('accounts', 'Invitation'))}"
    },
    "accounts:password_reset_confirm": lambda a: {
        "uidb64": urlsafe_base64_encode(force_bytes(a.pk(User))),
        "token": "set-password",
    },
}


# ---------------------------------------------------------------- A's objects, built generically


def _has_org(model: type[models.Model]) -> bool:
    return any(f.name == "org" for f in model._meta.concrete_fields)


def target_models() -> list[type[models.Model]]:
    """The models with an `org`, then those with a required key to one of them."""
    owned = [m for m in apps.get_models() if _has_org(m)]
    children = [
        m
        for m in apps.get_models()
        if m not in owned
        and any(
            f.many_to_one and not f.null and f.related_model in owned
            for f in m._meta.concrete_fields
        )
    ]
    return owned + children


def _value(model: type[models.Model], f: models.Field[Any, Any], a: OrgA) -> Any:
    """A value for one field of A's object; marked text wherever text goes."""
    label = f"{MARK} {model._meta.model_name}"
    if f.choices:
        return f.default if f.has_default() else f.choices[0][0]  # type: ignore[index]
    if isinstance(f, models.EmailField):
        return f"{MARK}.{model._meta.model_name}@example.org"
    if isinstance(f, models.URLField):
        return f"https://{MARK}.example.org/"
    if isinstance(f, models.SlugField):
        return f"{MARK}-{model._meta.model_name}"
    if isinstance(f, models.CharField | models.TextField):
        return label[: f.max_length] if f.max_length else label
    if f.has_default() or f.null:
        return f.get_default()
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
        return 1
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return date.today()
    raise TypeError(f"no value for {f.get_internal_type()} {f.name}")


def build(model: type[models.Model], a: OrgA, pk: int | None) -> models.Model:
    """One of A's objects of this model, every key pointing at A's objects."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.many_to_one or f.one_to_one:
            target = f.related_model
            if target is Organisation:
                values[f.name] = a.org
            elif target in a.objects:
                values[f.name] = a.objects[target]  # type: ignore[index]
            elif not f.null:
                raise LookupError(f"{f.name} needs an object of {target}, not built yet")
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if isinstance(f, models.FileField):
            continue
        values[f.name] = _value(model, f, a)
    obj = model(pk=pk, **values)
    obj.save(force_insert=True)
    return obj


# Models the generic build cannot make, by label: (model, A, primary key) -> A's object.
FACTORIES: dict[str, Callable[[type[models.Model], OrgA, int], models.Model]] = {
    # Append-only: it refuses to save a row whose key is already set.
    "accounts.AuditEntry": lambda model, a, pk: build(model, a, None),
}


def build_org_a() -> OrgA:
    """Organisation A with its director, and one object of every target model."""
    org = Organisation.objects.create(name=f"{MARK} Org", slug=f"{MARK}-org")
    a = OrgA(org)
    a.objects[User] = User.objects.create_user(f"{MARK}.director@example.org", "x")
    pending = target_models()
    failures: dict[str, str] = {}
    # Models whose keys point at others wait for them: a few passes build everything.
    for _round in range(len(pending)):
        left = []
        for model in pending:
            try:
                make = FACTORIES.get(model._meta.label, build)
                a.objects[model] = make(model, a, PK_BASE + PK_BLOCK * len(a.objects))
            except LookupError as e:
                left.append(model)
                failures[model._meta.label] = str(e)
            except Exception as e:
                pytest.fail(
                    f"cannot build an object of {model._meta.label} generically ({e!r}): "
                    "give it a factory in FACTORIES (pressdesk/tests/test_isolation_attack.py)"
                )
        if not left:
            return a
        pending = left
    pytest.fail(f"cannot build objects of {sorted(failures)}: {failures}")


# ------------------------------------------------------------------------- what A holds, dumped

Row = tuple[str, Any]


def dump() -> dict[Row, dict[str, Any]]:
    """Every row of every table (sessions aside), by model label and primary key."""
    rows: dict[Row, dict[str, Any]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session:
            continue
        for values in model._base_manager.order_by("pk").values():
            rows[(model._meta.label, values[model._meta.pk.attname])] = values
    return rows


def a_rows(rows: dict[Row, dict[str, Any]], a: OrgA) -> set[Row]:
    """A's rows: its organisation, its objects, and whatever points at them, transitively."""
    keys = {
        model._meta.label: [
            (f.attname, f.related_model._meta.label)
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None
        ]
        for model in apps.get_models(include_auto_created=True)
    }
    owned: set[Row] = {(Organisation._meta.label, a.org.pk)}
    owned |= {(type(o)._meta.label, o.pk) for o in a.objects.values()}
    grew = True
    while grew:
        grew = False
        for row, values in rows.items():
            if row in owned:
                continue
            if any((target, values.get(attname)) in owned for attname, target in keys[row[0]]):
                owned.add(row)
                grew = True
    return owned


# --------------------------------------------------------------------------------- the routes


def attacked_routes() -> list[Route]:
    """Every route, API included, once per pattern; the admin aside (staff only, it spans
    organisations on purpose)."""
    return list({r.route: r for r in routes(skip={"admin"})}.values())


def id_params(route: str) -> list[tuple[str, str]]:
    """The (converter, name) of the route's parameters that name something to attack."""
    return [
        (m["converter"] or "str", m["name"])
        for m in PARAM.finditer(route)
        if m["name"] not in NOT_IDS
    ]


def example(route: Route, a: OrgA) -> dict[str, str] | None:
    for key, make in EXAMPLES.items():
        if route.name == key or (key.endswith(":") and route.name.startswith(key)):
            return make(a)
    return None


def fill(route: Route, a: OrgA, b: Organisation) -> tuple[str, bool]:
    """B's URL with A's ids; and whether an id of A's object is in it (else only forged
    secrets are). Fails, naming the pattern, when a parameter cannot be filled."""
    given = example(route, a) or {}
    values: dict[str, str] = {"org_slug": b.slug, "module": "x"}
    strict = False
    for _converter, name in id_params(route.route):
        if name in given:
            values[name] = given[name]
            continue
        model = model_for(name, route.route, a.objects)
        if model is None:
            pytest.fail(
                f"{route.name} ({route.route}): cannot tell what <{name}> names; "
                "add an example for it to EXAMPLES in pressdesk/tests/test_isolation_attack.py"
            )
        values[name] = str(a.pk(model))
        strict = True
    url = "/" + PARAM.sub(lambda m: values[m["name"]], route.route)
    return url, strict


# ----------------------------------------------------------------------------------- the attack


@pytest.fixture
def org_a(db: None) -> OrgA:
    return build_org_a()


def test_org_a_has_an_object_of_every_model_with_an_org(org_a: OrgA) -> None:
    owned = {m for m in apps.get_models() if _has_org(m)}
    assert owned <= set(org_a.objects)
    for model in owned:
        assert org_a.objects[model].org_id == org_a.org.pk  # type: ignore[attr-defined]


def test_the_walk_covers_every_api_route_with_a_parameter(org_a: OrgA) -> None:
    walked = {
        r.route.removeprefix("api/v1") for r in attacked_routes() if r.route.startswith("api/")
    }
    schema = api.get_openapi_schema()
    with_params = {p for p in schema["paths"] if "{" in p}
    assert with_params
    for path in with_params:
        as_route = re.sub(r"\{(\w+)\}", r"<int:\1>", path.removeprefix("/api/v1"))
        assert any(
            re.sub(r"<\w+:(\w+)>", r"<\1>", w) == re.sub(r"<\w+:(\w+)>", r"<\1>", as_route)
            for w in walked
        ), f"API route {path} is not in the URL walk"


def test_it_names_the_pattern_that_needs_an_example(org_a: OrgA) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"releases:attach .*<widget_key>"):
        fill(
            Route("o/<slug:org_slug>/releases/<str:widget_key>/", "releases:attach"),
            org_a,
            org_a.org,
        )


def test_a_member_of_b_cannot_reach_as_objects_through_bs_urls(
    org_a: OrgA, charlie: User, other_org: Organisation, client: Client
) -> None:
    b = other_org
    b_member = Membership.objects.get(user=charlie, org=b)
    raw_token = services.create_api_token(b_member, "attack")
    client.force_login(charlie, backend="pressdesk.accounts.backends.EmailBackend")
    before = dump()
    owned = a_rows(before, org_a)

    failures: list[str] = []
    attacked = 0
    for route in attacked_routes():
        if not id_params(route.route):
            continue
        url, strict = fill(route, org_a, b)
        headers = (
            {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if route.route.startswith("api/") else {}
        )
        for method in METHODS:
            attacked += 1
            try:
                if route.route.startswith("api/") and method != "get":
                    response = getattr(client, method)(
                        url, data="{}", content_type="application/json", **headers
                    )
                else:
                    response = getattr(client, method)(url, **headers)
            except Exception as e:
                failures.append(f"{method.upper()} {url} ({route.name}) -> 500 {e!r}")
                continue
            status = response.status_code
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if MARK.encode() in body.lower():
                failures.append(f"{method.upper()} {url} ({route.name}) -> {status} shows A's data")
            elif status >= 500:
                failures.append(f"{method.upper()} {url} ({route.name}) -> {status}")
            elif strict and status not in REFUSED:
                failures.append(
                    f"{method.upper()} {url} ({route.name}) -> {status}, not 404/403/405"
                )

    after = dump()
    for row in sorted(owned, key=str):
        if after.get(row) != before[row]:
            failures.append(f"A's row {row} changed: {before[row]} -> {after.get(row)}")
    for row in after.keys() - before.keys():
        model = apps.get_model(row[0])
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                target = (f.related_model._meta.label, after[row].get(f.attname))
                if target in owned:
                    failures.append(f"new row {row} points at A's {target}")
    assert attacked > 100
    assert not failures, "\n".join(failures)
