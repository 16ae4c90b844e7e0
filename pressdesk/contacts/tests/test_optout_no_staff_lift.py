"""Only the person can lift an opt-out: no page, admin action or API call lets the team do it."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr, services
from pressdesk.contacts.models import ContactEmail, OptOut
from pressdesk.contacts.tests.gdpr_support import EMAIL, person
from pressdesk.lib.text import normalise_email

# The only routes that may touch the opt-out list: the team's add and check pages, and the
# person's own signed-link pages.
ALLOWED = {
    "contacts:gdpr_optouts",
    "contacts:gdpr_optout_add",
    "contacts:gdpr_optout_check",
    "contacts_public:never_contact",
    "contacts_public:hear_again",
    "contacts_public:unsubscribe",
    # Ends a newsroom e-mail subscription through its signed link; never lifts an opt-out.
    "newsroom:unsubscribe",
}


def routes(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), f"{ns}{entry.name}"))
    return found


@pytest.mark.django_db
def test_it_has_no_route_that_could_lift_an_optout() -> None:
    suspicious = [
        (path, name)
        for path, name in routes(get_resolver())
        if any(
            w in path.lower() for w in ("optout", "opt-out", "opt_out", "unsubscribe", "suppress")
        )
        and name not in ALLOWED
    ]
    assert suspicious == []


@pytest.mark.django_db
def test_it_offers_no_admin_delete_or_change(org: Organisation) -> None:
    entry = services.opt_out(org, EMAIL, "objection")
    model_admin = admin.site._registry.get(OptOut)
    if model_admin is None:
        return  # not in the admin at all
    superuser = User.objects.create_superuser("root@example.org", "pw")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_change_permission(request, entry)


@pytest.mark.django_db
def test_the_admin_cannot_delete_an_entry(client: Client, org: Organisation) -> None:
    entry = services.opt_out(org, EMAIL, "objection")
    User.objects.create_superuser("root@example.org", "pw")
    client.force_login(
        User.objects.get(email="root@example.org"),
        backend="pressdesk.accounts.backends.EmailBackend",
    )
    client.post(f"/admin/contacts/optout/{entry.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/contacts/optout/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert OptOut.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_api_cannot_delete_an_entry(as_alice: Client, org: Organisation) -> None:
    entry = services.opt_out(org, EMAIL, "objection")
    for path in (
        f"/api/v1/optouts/{entry.pk}",
        f"/api/v1/contacts/optouts/{entry.pk}",
        f"/api/v1/orgs/{org.slug}/optouts/{entry.pk}",
    ):
        as_alice.delete(path)
    assert OptOut.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_no_staff_page_removes_an_entry(as_alice: Client, org: Organisation) -> None:
    services.opt_out(org, EMAIL, "objection")
    base = f"/o/{org.slug}/contacts/gdpr/optouts/"
    for path in (base, base + "add/", base + "check/"):
        for data in (
            {"address": EMAIL, "reason": "objection"},
            {"address": EMAIL, "delete": "1"},
            {"lift": "1", "address": EMAIL},
        ):
            as_alice.post(path, data)
    assert services.is_opted_out(org, EMAIL)


@pytest.mark.django_db
def test_adding_the_contact_again_by_hand_keeps_them_suppressed(org: Organisation) -> None:
    services.opt_out(org, EMAIL, "objection", "phone")
    again = person(org, "Marie", "Dupont", emails=["marie.dupont@OUEST-FRANCE.example.fr"])
    ContactEmail.objects.create(
        contact=again, org=org, email=EMAIL, email_normalised=normalise_email(EMAIL)
    )
    assert services.is_opted_out(org, EMAIL)
    assert all(services.is_opted_out(org, e.email) for e in again.emails.all())
    assert gdpr.mailable_address(again) is None
    assert OptOut.objects.get().reason == "objection"
