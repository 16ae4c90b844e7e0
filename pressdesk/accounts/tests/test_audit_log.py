from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from pressdesk.accounts import audit
from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.lib.text import fold

URL = "/o/acme/audit/"
PARIS = ZoneInfo("Europe/Paris")


def entries(html: str) -> str:
    """The log's rows, without the filter form (whose select names every action)."""
    return html.split("<tbody>")[1].split("</tbody>")[0]


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "release.approve" in html
    assert "Alice Director" in html


def test_it_shows_only_this_organisation(
    as_alice: Client, org: Organisation, other_org: Organisation
) -> None:
    audit.record("secret.thing", org=other_org)
    assert "secret.thing" not in entries(as_alice.get(URL).content.decode())


def test_it_filters_by_action(as_alice: Client, alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("events.invite", org=org, actor=alice)
    html = entries(as_alice.get(URL, {"action": "events.invite"}).content.decode())
    assert "events.invite" in html
    assert "release.approve" not in html


def test_it_offers_the_actions_in_words_in_a_select(
    as_alice: Client, alice: User, org: Organisation
) -> None:
    audit.record("events.invite", org=org, actor=alice)
    alice.language = "fr"
    alice.save()
    html = as_alice.get(URL).content.decode()
    select = html.split('<select name="action"')[1].split("</select>")[0]
    # Every action the log knows, in words, and codes it has seen without words yet.
    assert '<option value="contacts.import">Contacts importés</option>' in select
    assert '<option value="login.failure">Échec de connexion</option>' in select
    assert '<option value="events.invite">events.invite</option>' in select
    # In alphabetical order of their words, accents folded.
    labels = re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select)
    assert labels == sorted(labels, key=fold)


def test_it_refuses_an_unknown_action(as_alice: Client, org: Organisation) -> None:
    r = as_alice.get(URL, {"action": "mailing"})
    assert r.status_code == 200
    assert 'aria-invalid="true"' in r.content.decode()


def test_it_says_what_an_import_brought_in(
    as_alice: Client, alice: User, org: Organisation
) -> None:
    audit.record(
        "contacts.import",
        org=org,
        actor=alice,
        file="Journalistes salon 2026.csv",
        format="csv",
        list="Salon",
        rolled_back=False,
        counts={"rows": 12, "created": 9, "updated": 2, "merged": 0, "skipped": 1},
    )
    alice.language = "fr"
    alice.save()
    html = as_alice.get(URL).content.decode()
    assert (
        "«\u00a0Journalistes salon 2026.csv\u00a0» (CSV)\u00a0: 12 lignes, 9 contacts ajoutés, "
        "2 mis à jour, 1 ligne ignorée, dans la liste «\u00a0Salon\u00a0»"
    ) in html.replace("&nbsp;", "\u00a0")


def test_it_says_what_an_export_sent_out(as_alice: Client, alice: User, org: Organisation) -> None:
    audit.record(
        "contacts.export",
        org=org,
        actor=alice,
        format="xlsx",
        count=64,
        scope="all",
        file="acme-contacts-2026-11-28.xlsx",
    )
    html = as_alice.get(URL).content.decode()
    assert "“acme-contacts-2026-11-28.xlsx” (Excel): 64 contacts, the whole press file" in html


def test_it_names_people_the_same_way_as_everywhere(
    as_alice: Client, alice: User, org: Organisation
) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("contacts.export", org=org, actor_label="cli:deploy", format="csv", count=3)
    audit.record("contact.retention_check", org=org, actor_label="worker")
    html = as_alice.get(URL).content.decode()
    assert '<span class="actor" title="alice@example.org">Alice Director</span>' in html
    assert '<span class="actor">Command line (deploy)</span>' in html
    assert '<span class="actor">Background worker</span>' in html


def test_it_filters_by_actor(as_alice: Client, alice: User, bob: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("events.invite", org=org, actor=bob)
    # By name as well as by address.
    html = entries(as_alice.get(URL, {"actor": "Bob Off"}).content.decode())
    assert "events.invite" in html
    assert "release.approve" not in html
    html = entries(as_alice.get(URL, {"actor": "alice@"}).content.decode())
    assert "release.approve" in html
    assert "events.invite" not in html


def test_it_filters_by_date_in_the_organisations_time_zone(
    as_alice: Client, org: Organisation
) -> None:
    # 23:30 in Paris on 1 March is 22:30 UTC: it belongs to 1 March for the team.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=PARIS)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(org=org, action="late.on.the.first", created=late),
            AuditEntry(org=org, action="on.the.second", created=late + timedelta(hours=1)),
            AuditEntry(org=org, action="in.february", created=late - timedelta(days=5)),
        ]
    )
    html = entries(
        as_alice.get(URL, {"since": "2026-03-01", "until": "2026-03-01"}).content.decode()
    )
    assert "late.on.the.first" in html
    assert "on.the.second" not in html
    assert "in.february" not in html
    html = entries(as_alice.get(URL, {"since": "2026-03-02"}).content.decode())
    assert "on.the.second" in html
    assert "late.on.the.first" not in html


def test_it_pages(as_alice: Client, org: Organisation) -> None:
    AuditEntry.objects.bulk_create([AuditEntry(org=org, action="a.b") for n in range(60)])
    html = as_alice.get(URL, {"action": "a.b"}).content.decode()
    assert "action=a.b&amp;page=2" in html
    r = as_alice.get(URL, {"action": "a.b", "page": 2})
    assert r.status_code == 200


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_is_for_directors_only(as_bob: Client) -> None:
    assert as_bob.get(URL).status_code == 403


def test_it_forbids_a_viewer(as_vera: Client) -> None:
    assert as_vera.get(URL).status_code == 403


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client, org: Organisation) -> None:
    assert client.get(URL).status_code == 302


def test_it_says_who_joined_and_with_which_role_in_the_readers_language(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    membership = bob.memberships.get(org=org)
    audit.record(
        "team.role_change", org=org, actor=alice, obj=membership, old="viewer", new="press_officer"
    )
    alice.language = "fr"
    alice.save()
    html = entries(as_alice.get(URL).content.decode())
    assert "Bob Officer\u00a0: Lecteur·rice → Attaché·e de presse" in html.replace(
        "&nbsp;", "\u00a0"
    )
    assert "Viewer" not in html


def test_it_says_which_tag_and_how_many_contacts(
    as_alice: Client, alice: User, org: Organisation
) -> None:
    audit.record("contacts.tag", org=org, actor=alice, tag="énergie", count=12)
    audit.record("tag.merge", org=org, actor=alice, merged="energie", into="énergie", count=3)
    html = entries(as_alice.get(URL).content.decode())
    assert "“énergie”: 12 contacts" in html
    assert "“energie” into “énergie”: 3 contacts" in html
