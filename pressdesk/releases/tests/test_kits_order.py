"""A kit's parts put in order in one POST: what the drag and drop sends (kit_sort.js)."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.releases import kits
from pressdesk.releases.models import KitItemKind, PressKit
from pressdesk.releases.tests import kits_sample as s

BASE = "/o/acme/releases/kits/"


def _three(org: Organisation) -> tuple[PressKit, list[int]]:
    kit = s.kit(org)
    ids = [
        kits.add_item(kit, KitItemKind.FACT_SHEET, title=title, text=title.lower()).pk
        for title in ("A", "B", "C")
    ]
    return kit, ids


def test_it_puts_the_parts_in_the_order_posted(as_bob: Client, org: Organisation) -> None:
    kit, (a, b, c) = _three(org)
    r = as_bob.post(f"{BASE}{kit.pk}/parts/order/", {"part": [c, a, b]})
    assert r.status_code == 302 and r["Location"] == f"{BASE}{kit.pk}/#kit-parts"
    assert [p.title for p in kits.kit_parts(kit)] == ["C", "A", "B"]
    page = as_bob.get(f"{BASE}{kit.pk}/").content.decode()
    assert f'data-order-url="{BASE}{kit.pk}/parts/order/"' in page
    assert "kit_sort.js" in page and f'data-part="{c}"' in page


def test_it_ignores_other_kits_parts_and_keeps_the_missing_ones(
    as_bob: Client, org: Organisation
) -> None:
    kit, (_a, _b, c) = _three(org)
    other, (x, _y, _z) = _three(org)
    as_bob.post(f"{BASE}{kit.pk}/parts/order/", {"part": [x, c, "nonsense"]})
    assert [p.title for p in kits.kit_parts(kit)] == ["C", "A", "B"]
    assert [p.title for p in kits.kit_parts(other)] == ["A", "B", "C"]


def test_a_viewer_cannot_reorder(client: Client, vera: User, org: Organisation) -> None:
    kit, (a, b, c) = _three(org)
    r = login(client, vera).post(f"{BASE}{kit.pk}/parts/order/", {"part": [c, b, a]})
    assert r.status_code == 403
    assert [p.title for p in kits.kit_parts(kit)] == ["A", "B", "C"]
    page = client.get(f"{BASE}{kit.pk}/").content.decode()
    assert "kit_sort.js" not in page


def test_it_checks_the_organisation_and_the_method(
    client: Client, charlie: User, bob: User, org: Organisation
) -> None:
    kit, (a, b, c) = _three(org)
    url = f"{BASE}{kit.pk}/parts/order/"
    assert login(client, charlie).post(url, {"part": [c, b, a]}).status_code == 404
    assert login(client, bob).get(url).status_code == 405
    assert [p.title for p in kits.kit_parts(kit)] == ["A", "B", "C"]
