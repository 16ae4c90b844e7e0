from __future__ import annotations

import re

from django.test import Client

from pressdesk.accounts.models import ApiToken, AuditEntry, Organisation, User, token_hash

URL = "/accounts/tokens/acme/new/"


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    r = as_alice.post(URL, {"name": "Newsroom sync"}, follow=True)
    assert r.status_code == 200
    token = ApiToken.objects.get()
    assert (token.name, token.membership.user, token.membership.org) == (
        "Newsroom sync",
        alice,
        org,
    )
    # The raw key is shown once, and only its hash is stored.
    found = re.search(r'<code class="new-token">(pd_[\w-]+)</code>', r.content.decode())
    assert found
    assert token.key_hash == token_hash(found[1])
    assert found[1] not in {token.prefix, token.key_hash}
    # Once only.
    assert "new-token" not in as_alice.get("/accounts/profile/").content.decode()
    entry = AuditEntry.objects.get(action="api.token_create")
    assert (entry.org, entry.actor, entry.data["name"]) == (org, alice, "Newsroom sync")


def test_a_viewer_may_have_a_token(as_vera: Client) -> None:
    # A token acts with its member's role, so a viewer's token can only read.
    assert as_vera.post(URL, {"name": "feed"}).status_code == 302
    assert ApiToken.objects.count() == 1


def test_it_needs_a_name(as_alice: Client) -> None:
    as_alice.post(URL, {"name": ""})
    assert not ApiToken.objects.exists()


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(URL, {"name": "spy"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_it_rejects_get(as_alice: Client) -> None:
    assert as_alice.get(URL).status_code == 405


def test_it_requires_login(client: Client, org: Organisation) -> None:
    assert client.post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
