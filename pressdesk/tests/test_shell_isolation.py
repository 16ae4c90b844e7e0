"""Every page of an organisation is a 404 for someone outside it.

The test walks the URL configuration, so each module's pages are covered as soon as they are
routed under `o/<slug:org_slug>/`, without a test of their own for it.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from pressdesk.accounts import audit, services
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.modules import demo_loaders, navigation, registered
from pressdesk.tests.url_walk import PARAM, Route, model_for, routes


def org_routes() -> list[Route]:
    """The routes that belong to one organisation, but its public pages (a newsroom), which
    a module mounts under a prefix of its own and which anyone may read."""
    public = tuple(prefix for m in registered() for prefix, _conf in m.public_urls if prefix)
    return [r for r in routes() if "<slug:org_slug>" in r.route and not r.route.startswith(public)]


def org_models() -> list[type[models.Model]]:
    """The models that belong to an organisation."""
    return [m for m in apps.get_models() if any(f.name == "org" for f in m._meta.get_fields())]


def fill(route: str, org: Organisation) -> tuple[str, bool]:
    """A real URL for the route in this organisation, using its own objects' ids where clear;
    and whether every id is one (else some are a mere 1)."""
    guessed = False

    def value(match: re.Match[str]) -> str:
        nonlocal guessed
        converter, name = match["converter"] or "str", match["name"]
        if name == "org_slug":
            return org.slug
        if name == "module":
            return navigation()[-1].key
        if converter == "int":
            model = model_for(name, route, org_models())
            found = model._default_manager.filter(org=org).first() if model else None
            guessed = guessed or found is None
            return str(found.pk if found else 1)
        guessed = True
        if converter == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        return "x"

    url = "/" + PARAM.sub(value, route)
    return url, not guessed


@pytest.fixture
def acme(org: Organisation, alice: User, bob: User, vera: User) -> Organisation:
    """Acme with something in every module, so that ids in URLs point at real objects."""
    services.invite(org, "new@example.org", Role.VIEWER, by=alice)
    services.create_api_token(Membership.objects.get(user=bob), "sync")
    audit.record("release.approve", org=org, actor=alice)
    for loader in demo_loaders():
        loader(org)
    return org


def test_it_finds_the_organisation_routes(db: None) -> None:
    found = {r.name for r in org_routes()}
    assert {"dashboard", "search", "coming", "accounts:team", "accounts:change_role"} <= found
    assert "accounts:create_token" in found


def test_it_fills_ids_with_the_organisations_objects(acme: Organisation) -> None:
    url, exact = fill("o/<slug:org_slug>/team/<int:membership_id>/role/", acme)
    assert exact
    assert url in {f"/o/acme/team/{m.pk}/role/" for m in Membership.objects.filter(org=acme)}
    url, exact = fill("o/<slug:org_slug>/team/membership/<int:pk>/", acme)
    assert exact
    assert fill("o/<slug:org_slug>/unknown/<int:pk>/", acme) == ("/o/acme/unknown/1/", False)


def test_every_organisation_page_is_a_404_for_an_outsider(
    acme: Organisation, as_charlie: Client
) -> None:
    failures = []
    for route in org_routes():
        url, _exact = fill(route.route, acme)
        r = as_charlie.get(url)
        if r.status_code == 405:
            r = as_charlie.post(url)
        if r.status_code != 404:
            failures.append(f"{route.name} {url} -> {r.status_code}")
    assert not failures, "\n".join(failures)


def test_the_same_pages_exist_for_a_member(acme: Organisation, as_alice: Client) -> None:
    # The other side of the check: the same URLs are not 404s for Acme's director, so the
    # outsider's 404 above comes from the membership check, not from a badly filled URL.
    failures = []
    for route in org_routes():
        url, exact = fill(route.route, acme)
        if exact and as_alice.get(url).status_code == 404:
            failures.append(f"{route.name} {url}")
    assert not failures, "\n".join(failures)
