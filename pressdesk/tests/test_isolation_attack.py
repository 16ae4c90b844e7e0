"""A member of one organisation attacks another's data through their own URLs.

Organisation A holds one object of every model that has an `org` (and of every model hanging off
one). Organisation B has a director who owns nothing. For every URL pattern and API route that
takes an id, B's director asks for B's own URL (B's slug) with A's ids, in GET, POST, PATCH and
DELETE. A forgotten organisation filter shows as a 2xx/3xx, as A's text in a response, or as a
change in A's rows: each fails the test. A 500 fails it too. A second pass puts A's ids in the
query string and the form of every page and API route of B's.

Nothing here names a module: the walk enumerates the URL configuration and the models, so a new
module is attacked as soon as it is routed. A parameter the walk cannot fill fails with the
pattern's name, to be given an example in EXAMPLES.
"""

from __future__ import annotations

import json
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
from django.utils.http import urlencode, urlsafe_base64_encode

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
    # "version" would also name the press file's facet counter (FacetVersion).
    "releases:version": lambda a: {
        "version_id": str(a.pk(apps.get_model("releases", "ReleaseVersion")))
    },
    "releases:version_comment": lambda a: {
        "version_id": str(a.pk(apps.get_model("releases", "ReleaseVersion")))
    },
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
    # The public newsroom: B's own newsroom, asked for A's release by its address, and forged
    # subscription and preview secrets; ids (asset_id) are A's.
    "newsroom:": lambda a: {
        "slug": a.objects[apps.get_model("releases", "Release")].slug,  # type: ignore[attr-defined]
        "signed": "forged:signature",
        "token": a.objects[apps.get_model("releases", "PreviewLink")].token,  # type: ignore[attr-defined]
        "filename": "x.png",
    },
    # A mailing's public links (unsubscribe, tracked link, pixel) naming A's ledger row, forged.
    # A stream of mail is named, not numbered: the same names in every organisation.
    "mailings:outbox_resume": lambda a: {"name": "contacts.notice"},
    "mailings_public:": lambda a: {
        "token": f"{a.pk(apps.get_model('mailings', 'Mailing'))}-"
        f"{a.pk(apps.get_model('mailings', 'Recipient'))}.{'A' * 22}"
    },
    # A director's decision on A's interrupted work, named by its kind and row.
    "work:decide": lambda a: {
        "kind": "contacts.gdpr_mail",
        "pk": str(a.pk(apps.get_model("contacts", "NoticeSend"))),
        "decision": "retry",
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
    # Keyed by its organisation: one row per organisation, made on the first count.
    "contacts.FacetVersion": lambda model, a, pk: model._base_manager.get_or_create(org=a.org)[0],
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


class Attack:
    """B's director, logged in and holding an API token, and what A held before the attack."""

    def __init__(self, a: OrgA, b: Organisation, director: User, client: Client) -> None:
        self.a, self.b, self.client = a, b, client
        member = Membership.objects.get(user=director, org=b)
        self.token = services.create_api_token(member, "attack")
        client.force_login(director, backend="pressdesk.accounts.backends.EmailBackend")
        self.before = dump()
        self.owned = a_rows(self.before, a)
        self.failures: list[str] = []
        self.sent = 0

    def send(self, route: Route, url: str, method: str, data: dict[str, Any], strict: bool) -> None:
        """One request; a 500, A's mark in the answer, or (strict) anything but a refusal fails."""
        self.sent += 1
        what = f"{method.upper()} {url} ({route.name})"
        try:
            if route.route.startswith("api/"):
                headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
                if method == "get":
                    response = self.client.get(url, data, **headers)  # type: ignore[arg-type]
                else:
                    response = getattr(self.client, method)(
                        url, data=json.dumps(data), content_type="application/json", **headers
                    )
            elif method in ("get", "post"):
                response = getattr(self.client, method)(url, data)
            else:
                response = getattr(self.client, method)(url, urlencode(data, doseq=True))
        except Exception as e:
            self.failures.append(f"{what} -> 500 {e!r}")
            return
        status = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if MARK.encode() in body.lower():
            self.failures.append(f"{what} -> {status} shows A's data")
        elif status >= 500:
            self.failures.append(f"{what} -> {status}")
        elif strict and status not in REFUSED:
            self.failures.append(f"{what} -> {status}, not 404/403/405")
        if method != "get" and not route.route.startswith("api/"):
            # What a write says of A's objects may wait for the next page, as a message.
            following = self.client.get(f"/o/{self.b.slug}/")
            if MARK.encode() in following.content.lower():
                at = following.content.lower().index(MARK.encode())
                self.failures.append(
                    f"{what} -> {status}, then a message shows A's data: "
                    f"{following.content[max(at - 200, 0) : at + 60]!r}"
                )

    def report(self) -> list[str]:
        """The failures, with every change to A's rows and every new row pointing at one."""
        after = dump()
        for row in sorted(self.owned, key=str):
            if after.get(row) != self.before[row]:
                self.failures.append(
                    f"A's row {row} changed: {self.before[row]} -> {after.get(row)}"
                )
        for row in after.keys() - self.before.keys():
            model = apps.get_model(row[0])
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is not None:
                    target = (f.related_model._meta.label, after[row].get(f.attname))
                    if target in self.owned:
                        self.failures.append(f"new row {row} points at A's {target}")
        return self.failures


@pytest.fixture
def attack(org_a: OrgA, charlie: User, other_org: Organisation, client: Client) -> Attack:
    return Attack(org_a, other_org, charlie, client)


def test_a_member_of_b_cannot_reach_as_objects_through_bs_urls(attack: Attack) -> None:
    for route in attacked_routes():
        if not id_params(route.route):
            continue
        url, strict = fill(route, attack.a, attack.b)
        for method in METHODS:
            attack.send(route, url, method, {}, strict)
    assert attack.sent > 100
    failures = attack.report()
    assert not failures, "\n".join(failures)


def body_ids(a: OrgA) -> dict[str, Any]:
    """A's ids under the names forms and filters give them: `contact`, `contact_id`, `ids`…"""
    data: dict[str, Any] = {}
    for model, obj in a.objects.items():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
        # ContactList: contactlist, contact_list and list, each also with _id and s.
        for name in {model._meta.model_name or "", snake, snake.rsplit("_", 1)[-1]}:
            data[name] = data[f"{name}_id"] = data[f"{name}s"] = str(obj.pk)
    data["ids"] = data["pk"] = data["id"] = str(a.pk(apps.get_model("contacts", "Contact")))
    return data


def test_as_ids_in_a_form_or_query_string_reach_nothing_of_a(attack: Attack) -> None:
    # Every page of B's (ids in the URL or not), with A's ids in the query string and the form:
    # a bulk action or a filter that forgets the organisation shows or changes A's data.
    data = body_ids(attack.a)
    for route in attacked_routes():
        if "<slug:org_slug>" not in route.route and not route.route.startswith("api/"):
            continue
        url, _strict = fill(route, attack.a, attack.b)
        for method in ("get", "post"):
            attack.send(route, url, method, data, strict=False)
    assert attack.sent > 50
    failures = attack.report()
    assert not failures, "\n".join(failures)
