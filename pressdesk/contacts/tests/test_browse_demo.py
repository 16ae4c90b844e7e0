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


def test_job_titles_match_the_person_and_read_as_french(org: Organisation) -> None:
    demo.load(org)
    feminine = {t[0] for t in demo.TITLES} - {t[1] for t in demo.TITLES}
    masculine = {t[1] for t in demo.TITLES} - {t[0] for t in demo.TITLES}
    women = {"Hélène", "Camille", "Emily", "Olivia", "Sophie"}
    men = {"Julien", "Mathieu", "James", "Tom", "Thomas"}
    seen = set()
    for contact in Contact.objects.filter(org=org):
        title = contact.job_title
        seen.add(title)
        if contact.first_name in men:
            assert title not in feminine | {"Correspondante énergie"}, contact
        if contact.first_name in women:
            assert title not in masculine | {"Correspondant énergie"}, contact
        assert "'" not in title
    assert {"Rédactrice en chef", "Rédacteur en chef", "Chef d’agence"} <= seen
    assert not seen & {"Energy correspondent", "Editor", "Reporter "}
    assert not Outlet.objects.filter(org=org, name__contains="'").exists()
    mobiles = {p.label for c in Contact.objects.filter(org=org) for p in c.phones.all()}
    assert mobiles == {"", "mobile"}
