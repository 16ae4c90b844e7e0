from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import User


@pytest.mark.django_db
def test_it_explains_a_refusal_in_french_inside_the_app(client: Client, vera: User) -> None:
    client.force_login(vera, backend="pressdesk.accounts.backends.EmailBackend")
    User.objects.filter(pk=vera.pk).update(language="fr")
    r = client.get("/o/acme/audit/")
    assert r.status_code == 403
    body = r.content.decode()
    assert '<html lang="fr">' in body
    assert "Votre rôle" in body
    assert "Acme Énergie" not in body or "sidenav" in body


@pytest.mark.django_db
def test_it_shows_a_friendly_404(client: Client, charlie: User) -> None:
    client.force_login(charlie, backend="pressdesk.accounts.backends.EmailBackend")
    r = client.get("/o/acme/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404
    assert "Page not found" in r.content.decode()
