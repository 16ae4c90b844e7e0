"""The embargo on every public path, with a frozen clock at T−1 s, T and T+1 s, on the nights
Europe/Paris changes time: absent until the instant, there from the instant on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.roles import Role
from pressdesk.releases import previews
from pressdesk.releases.models import ReleaseState, Topic
from pressdesk.releases.tests.newsroom_data import image, release

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
SECOND = timedelta(seconds=1)

# 29 March 2026, 03:00 in Paris: the first minute of summer time (01:00 UTC); and 25 October
# 2026, the second 02:30 in Paris (fold=1, winter time again: 01:30 UTC). Seconds are added in
# UTC: wall-clock arithmetic across the change would land an hour off.
INSTANTS = {
    "spring": datetime(2026, 3, 29, 3, 0, tzinfo=PARIS).astimezone(UTC),
    "autumn": datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS).astimezone(UTC),
}
TITLE = "Acme rachète Zénith Énergie"


def _freeze(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)


def _seen(client: Client, slug: str, asset_url: str) -> dict[str, bool]:
    """On which public path the release shows, at the frozen instant."""
    seen: dict[str, bool] = {}
    seen["home"] = TITLE in client.get("/newsroom/acme/").content.decode()
    seen["search"] = TITLE in client.get("/newsroom/acme/", {"q": "zenith"}).content.decode()
    seen["topic"] = TITLE in client.get("/newsroom/acme/", {"topic": "rachats"}).content.decode()
    page = client.get(f"/newsroom/acme/{slug}/")
    seen["page"] = page.status_code == 200
    if page.status_code != 200:
        assert page["Cache-Control"] == "no-store"
        assert TITLE not in page.content.decode()
    seen["opengraph"] = 'property="og:title"' in page.content.decode()
    seen["json_ld"] = "NewsArticle" in page.content.decode()
    for kind in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"/newsroom/acme/{kind}.xml").content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        seen[kind] = any(e.title == TITLE for e in parsed.entries)
    seen["sitemap"] = (
        f"/newsroom/acme/{slug}/" in client.get("/newsroom/acme/sitemap.xml").content.decode()
    )
    picture = client.get(asset_url)
    seen["image"] = picture.status_code == 200
    if picture.status_code != 200:
        assert picture["Cache-Control"] == "no-store"
    return seen


@pytest.mark.parametrize("night", sorted(INSTANTS))
def test_it_holds_the_embargo_to_the_second_on_every_path(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch, night: str
) -> None:
    lift = INSTANTS[night]
    assert lift.hour == {"spring": 1, "autumn": 1}[night]
    topic = Topic.objects.for_org(org).create(name="Rachats", slug="rachats")
    r = release(
        org, TITLE, slug="rachat", visible_from=lift, state=ReleaseState.SCHEDULED, topics=[topic]
    )
    picture = image(org, r)
    asset_url = f"/newsroom/acme/files/{picture.pk}/photo.png"
    _freeze(monkeypatch, lift - SECOND)
    before = _seen(client, "rachat", asset_url)
    assert not any(before.values()), before
    for at in (lift, lift + SECOND):
        _freeze(monkeypatch, at)
        after = _seen(client, "rachat", asset_url)
        assert all(after.values()), (at, after)


def test_it_keeps_a_preview_link_working_until_it_is_revoked(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    lift = INSTANTS["spring"]
    r = release(org, TITLE, slug="rachat", visible_from=lift, state=ReleaseState.SCHEDULED)
    picture = image(org, r)
    link = previews.create(r, contact=None, recipient="marie@example.org", by=None)
    _freeze(monkeypatch, lift - SECOND)
    page = client.get(f"/newsroom/acme/preview/{link.token}/")
    assert page.status_code == 200 and TITLE in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert "noindex" in page["X-Robots-Tag"]
    assert "Sous embargo jusqu’au" in page.content.decode()
    assert "NewsArticle" not in page.content.decode()
    file_url = f"/newsroom/acme/preview/{link.token}/files/{picture.pk}/photo.png"
    assert client.get(file_url).status_code == 200
    previews.revoke(link, by=None)
    assert client.get(f"/newsroom/acme/preview/{link.token}/").status_code == 404
    assert client.get(file_url).status_code == 404
    # The public paths still hold the embargo.
    assert client.get("/newsroom/acme/rachat/").status_code == 404
    assert link.views.count() == 1


def test_it_never_shows_a_withdrawn_release_even_past_its_instant(
    client: Client, org: Organisation
) -> None:
    r = release(org, TITLE, slug="rachat")
    assert client.get("/newsroom/acme/rachat/").status_code == 200
    r.state = ReleaseState.WITHDRAWN
    r.save()
    assert client.get("/newsroom/acme/rachat/").status_code == 404
    assert TITLE not in client.get("/newsroom/acme/rss.xml").content.decode()


def test_the_roles_do_not_matter_to_the_public_pages(client: Client, org: Organisation) -> None:
    # The newsroom has no login: a member sees exactly what the public sees.
    from pressdesk.accounts.models import Membership, User
    from pressdesk.conftest import login

    user = User.objects.create_user("d@example.org", "x" * 20, full_name="D")
    Membership.objects.create(user=user, org=org, role=Role.DIRECTOR)
    release(org, TITLE, slug="rachat", visible_from=timezone.now() + timedelta(hours=1))
    assert login(client, user).get("/newsroom/acme/rachat/").status_code == 404
