"""The press file in Django's admin."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests import sample


def test_it_lists_and_keeps_the_search_text(client: Client, org: Organisation) -> None:
    root = User.objects.create_superuser("root@example.org", "pw")
    client.force_login(root, backend="pressdesk.accounts.backends.EmailBackend")
    marie = sample.contact(org, "Marie", "Dupont", emails=["marie@example.fr"])
    assert client.get("/admin/contacts/contact/").status_code == 200
    r = client.get(f"/admin/contacts/contact/{marie.pk}/change/")
    assert r.status_code == 200
    # Deleting goes through the app, where it is audit-logged.
    assert client.get(f"/admin/contacts/contact/{marie.pk}/delete/").status_code == 403
    assert client.get("/admin/contacts/outlet/").status_code == 200
