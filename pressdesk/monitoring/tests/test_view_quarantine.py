"""The quarantine page: articles the pipeline could not read, retried or discarded (audited)."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.polling import url_key
from pressdesk.monitoring.tests.support import article
from pressdesk.work.models import WorkState

URL = "/o/acme/monitoring/quarantine/"


def _garbled(org: Organisation, title: str = "Lettre d’information") -> Item:
    """An article whose text is encoding garbage, run through the real pipeline."""
    from pressdesk.monitoring import runner

    url = f"https://news.example/{url_key(title)[:8]}"
    item = Item.objects.for_org(org).create(
        url=url,
        url_key=url_key(url),
        title=title,
        payload={"content": "\ufffd\ufffd\x01" * 40, "content_is_full": True},
    )
    runner.run_items([item.pk], pages=lambda url: None)
    item.refresh_from_db()
    assert item.stage == Stage.QUARANTINED
    return item


def test_it_lists_quarantined_articles_with_their_reason(
    as_vera: Client, org: Organisation
) -> None:
    _garbled(org)
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    r = as_vera.get(URL)
    page = r.content.decode()
    assert r.status_code == 200
    assert [i.title for i in r.context["page"]] == ["Lettre d’information"]
    assert "encoding garbage" in page
    assert 'value="retry"' not in page  # a viewer has no buttons


def test_it_retries_an_article_and_audits_it(as_bob: Client, org: Organisation) -> None:
    item = _garbled(org)
    r = as_bob.post(f"{URL}{item.pk}/", {"action": "retry"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.stage, item.state) == (Stage.NEW, WorkState.PENDING)
    assert item.payload  # kept for the retry
    entry = AuditEntry.objects.get(action="monitoring.quarantine_retry")
    assert entry.org == org and entry.object_id == str(item.pk)
    assert "encoding garbage" in entry.data["reason"]
    # The article is out of the quarantine, and a second decision is refused.
    assert as_bob.get(URL).context["page"].paginator.count == 0
    as_bob.post(f"{URL}{item.pk}/", {"action": "discard"})
    item.refresh_from_db()
    assert item.stage == Stage.NEW
    assert not AuditEntry.objects.filter(action="monitoring.quarantine_discard").exists()


def test_it_discards_an_article_for_good(as_alice: Client, org: Organisation) -> None:
    item = _garbled(org)
    as_alice.post(f"{URL}{item.pk}/", {"action": "discard"})
    item.refresh_from_db()
    assert item.stage == Stage.DISCARDED and item.payload == {}
    assert AuditEntry.objects.filter(action="monitoring.quarantine_discard").count() == 1
    assert as_alice.get(URL).context["page"].paginator.count == 0


def test_it_needs_an_action(as_bob: Client, org: Organisation) -> None:
    item = _garbled(org)
    assert as_bob.post(f"{URL}{item.pk}/", {"action": "erase"}).status_code == 400


def test_it_lets_no_viewer_decide(as_vera: Client, org: Organisation) -> None:
    item = _garbled(org)
    assert as_vera.post(f"{URL}{item.pk}/", {"action": "retry"}).status_code == 403
    item.refresh_from_db()
    assert item.stage == Stage.QUARANTINED


def test_it_refuses_get_on_a_decision(as_bob: Client, org: Organisation) -> None:
    item = _garbled(org)
    assert as_bob.get(f"{URL}{item.pk}/").status_code == 405
    assert as_bob.post(URL).status_code == 405


def test_it_sends_outsiders_to_login(client: Client, org: Organisation) -> None:
    item = _garbled(org)
    assert client.get(URL).status_code == 302
    assert client.post(f"{URL}{item.pk}/", {"action": "retry"}).status_code == 302
    item.refresh_from_db()
    assert item.stage == Stage.QUARANTINED


def test_it_checks_the_organisation(
    as_charlie: Client, org: Organisation, other_org: Organisation
) -> None:
    item = _garbled(org)
    assert as_charlie.get(URL).status_code == 404
    # From their own organisation, another's article does not exist.
    r = as_charlie.post(f"/o/other/monitoring/quarantine/{item.pk}/", {"action": "discard"})
    assert r.status_code == 404
    item.refresh_from_db()
    assert item.stage == Stage.QUARANTINED
