"""Releases on the members' side with 10,000 releases: the release list page (all, filtered by
state), a release's review page, the API list, rendering one release, and saving a version.
Every figure is a ratio to `/health/` timed in the same process through the same Client.

    .venv/bin/python bench/bench_releases.py [--releases 10000] [--postgres]
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

import harness
from harness import Figure

BODY = (
    "La coopérative a produit 148 GWh d'électricité renouvelable en 2026, en hausse de 12 % sur "
    "un an. Son chiffre d'affaires atteint 31,4 millions d'euros.\n\n"
    '> "Nous avons prouvé qu\'un modèle coopératif pouvait financer la transition", déclare la '
    "présidente.\n\nLes comptes détaillés seront publiés à 10h30 : rendez-vous sur le site !\n"
) * 3


def load(count: int) -> tuple[Any, Any, Any]:
    """An organisation, its director, and `count` releases in every state (bulk-written)."""
    from django.utils.timezone import now

    from pressdesk.accounts.models import Membership
    from pressdesk.releases import markup
    from pressdesk.releases.models import Release, ReleaseState, ReleaseVersion

    org, user = harness.org_and_user("releases")
    member = Membership.objects.for_org(org).get(user=user)
    states = [s for s in ReleaseState.values]
    html = markup.to_html(BODY, "fr-FR")
    at = now()
    releases = Release.objects.for_org(org).bulk_create(
        Release(
            org=org,
            title=f"Communiqué numéro {i}",
            slug=f"communique-{i}",
            state=states[i % len(states)],
            visible_from=at - timedelta(hours=i) if i % len(states) in (3, 4) else None,
            created=at - timedelta(minutes=i),
            updated=at - timedelta(minutes=i),
        )
        for i in range(count)
    )
    versions = ReleaseVersion.objects.bulk_create(
        ReleaseVersion(
            release=r, number=1, title=r.title, lead="Chapeau.", body_source=BODY,
            body_html=html, char_count=len(BODY),
        )
        for r in releases
    )  # fmt: skip
    for release, version in zip(releases, versions, strict=True):
        release.current_version = version
    Release.objects.for_org(org).bulk_update(releases, ["current_version"], batch_size=1000)
    return org, user, member


def measure(count: int, backend: str, repeat: int = 40) -> list[Figure]:
    from django.test import Client

    from pressdesk.accounts.models import ApiToken, token_hash
    from pressdesk.releases import services
    from pressdesk.releases.models import Release
    from pressdesk.releases.rendering import render_release_html

    org, user, member = load(count)
    client = Client()
    client.force_login(user)
    assert client.get("/health/").status_code == 200
    baseline = harness.median_ms(lambda: client.get("/health/"), 100)
    raw = ApiToken.new_key()
    ApiToken.objects.create(membership=member, name="b", prefix=raw[:8], key_hash=token_hash(raw))
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    one = Release.objects.for_org(org).select_related("current_version", "org").first()
    assert one is not None and one.current_version is not None
    base = f"/o/{org.slug}/releases/"
    pages = {
        "release list page": (base, {}),
        "release list, published": (base + "?state=published", {}),
        "review page": (f"{base}{one.pk}/review/", {}),
        "API list (50)": ("/api/v1/releases/", api),
    }
    figures = []
    for name, (url, headers) in pages.items():
        first = client.get(url, **headers)
        if first.status_code != 200:
            raise RuntimeError(f"GET {url} answered {first.status_code}")
        times, _cpu = harness.timed([lambda url=url, h=headers: client.get(url, **h)] * repeat)
        figures.append(
            Figure(f"{name} p95", harness.percentile(times, 95), "ms", baseline, "/health/",
                   None, backend, count, extra={"p50": harness.percentile(times, 50)})
        )  # fmt: skip
    version = one.current_version
    times = harness.time_each([lambda: render_release_html(version, embargo_notice=True)] * 200)
    figures.append(
        Figure("render_release_html p95", harness.percentile(times, 95), "ms", baseline,
               "/health/", None, backend, count)
    )  # fmt: skip
    draft = services.Draft(title="Titre : nouveau", lead="Chapeau.", body=BODY)
    times = harness.time_each([lambda: services.save_version(one, draft, by=user)] * repeat)
    figures.append(
        Figure("save a version p95", harness.percentile(times, 95), "ms", baseline,
               "/health/", None, backend, count)
    )  # fmt: skip
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_releases")):
        for figure in measure(args.releases, backend):
            print(figure.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
