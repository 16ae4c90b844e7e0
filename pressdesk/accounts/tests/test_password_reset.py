from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.conftest import PASSWORD

NEW_PASSWORD = "a long and unusual passphrase"


def _ask(client: Client, email: str) -> None:
    r = client.post("/accounts/password/reset/", {"email": email})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/sent/"


def _link(body: str) -> str:
    found = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body)
    assert found, body
    return found[1]


def test_it_shows_the_form(english: Client, db: None) -> None:
    r = english.get("/accounts/password/reset/")
    assert r.status_code == 200
    assert 'name="email"' in r.content.decode()


def test_the_whole_flow(english: Client, alice: User) -> None:
    _ask(english, "alice@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your Pressdesk password"
    html = message.alternatives[0][0]  # type: ignore[index]
    assert _link(message.body) in html

    # The link leads to a form (Django swaps the token for a session marker first).
    r = english.get(_link(message.body), follow=True)
    assert r.status_code == 200
    assert "Choose a new password" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = english.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/done/"

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="auth.password_reset", actor=alice).count() == 1
    # The link works once.
    r = english.get(_link(message.body), follow=True)
    assert "This link cannot be used" in r.content.decode()


def test_it_writes_in_the_browsers_language(alice: User) -> None:
    _ask(Client(HTTP_ACCEPT_LANGUAGE="fr"), "alice@example.org")
    assert mail.outbox[0].subject == "Réinitialisation de votre mot de passe Pressdesk"


def test_it_does_not_say_who_has_an_account(client: Client, db: None) -> None:
    _ask(client, "nobody@example.org")
    assert not mail.outbox


def test_it_refuses_a_forged_link(english: Client, alice: User) -> None:
    r = english.get("/accounts/password/reset/MQ/forged-token/")
    assert r.status_code == 200
    assert "This link cannot be used" in r.content.decode()


def test_it_rejects_put(client: Client, db: None) -> None:
    assert client.put("/accounts/password/reset/").status_code == 405
