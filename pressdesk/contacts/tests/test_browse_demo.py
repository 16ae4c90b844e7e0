"""The demo's press file (pressdesk/contacts/demo.py)."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import demo, services
from pressdesk.contacts.filters import segment_contacts
from pressdesk.contacts.models import Contact, ContactList, Outlet


def test_it_loads_a_realistic_press_file(as_alice: Client, org: Organisation) -> None:
    demo.load(org)
    assert Contact.objects.filter(org=org).count() == 60
    assert Outlet.objects.filter(org=org).count() == 20
    assert Contact.objects.filter(org=org, languages=["en"]).count() == 4
    assert not Contact.objects.filter(org=org, phones__e164="").exists()
    segment = ContactList.objects.get(org=org, kind="segment")
    assert 0 < segment_contacts(segment).count() < 60
    assert ContactList.objects.filter(org=org, kind="static").count() == 2
    contacts, count = services.quick_search(org, "nouvelle republique")
    assert count >= 3
    # The pages show it.
    assert as_alice.get("/o/acme/contacts/").status_code == 200
    assert as_alice.get(f"/o/acme/contacts/{contacts[0].pk}/").status_code == 200
    assert as_alice.get(f"/o/acme/contacts/lists/{segment.pk}/").status_code == 200
