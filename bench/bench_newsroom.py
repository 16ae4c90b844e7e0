"""The public newsroom with 10,000 releases: a release page (target p95 ≤ 30 ms), and the list,
the feeds and the sitemap (target p95 ≤ 60 ms).

An anonymous Django test Client GETs each page; the whole request is timed (middleware, queries,
rendering). Baseline: `/health/`, timed in the same run through the same Client. Nine releases in
ten are public, the rest scheduled under an embargo or drafts, so every query filters on the
public rule as it does in production.

`.venv/bin/python bench/bench_newsroom.py [--releases 10000] [--postgres] [--json]`
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta

import harness
from harness import Figure

PAGE_TARGET_MS = 30.0
LIST_TARGET_MS = 60.0
BODY = (
    "<p>Le parc éolien en mer a injecté ses premiers mégawattheures sur le réseau, "
    "après trois ans de travaux et 1 200 personnes mobilisées sur le chantier.</p>"
) * 8


def load(org: object, releases: int) -> list[str]:
    """Write `releases` releases with one version each; the public ones' slugs."""
    from django.utils import timezone

    from pressdesk.releases.models import (
        Release,
        ReleaseState,
        ReleaseVersion,
        Topic,
    )

    rng = random.Random(20261128)
    now = timezone.now()
    topics = [Topic.objects.create(org=org, name=f"Thème {n}", slug=f"theme-{n}") for n in range(8)]
    rows = []
    for n in range(releases):
        kind = rng.random()
        if kind < 0.9:
            state, visible = ReleaseState.PUBLISHED, now - timedelta(minutes=n + 1)
        elif kind < 0.95:
            state, visible = ReleaseState.SCHEDULED, now + timedelta(days=1 + n % 30)
        else:
            state, visible = ReleaseState.DRAFT, None
        rows.append(
            Release(
                org=org,
                title=f"Communiqué n° {n} : l’énergie de la baie",
                slug=f"communique-{n}",
                state=state,
                visible_from=visible,
                published_at=visible,
                updated=visible or now,
            )
        )
    made = Release.objects.bulk_create(rows, batch_size=2000)
    versions = ReleaseVersion.objects.bulk_create(
        [
            ReleaseVersion(
                release=r,
                number=1,
                title=r.title,
                lead="Les 71 éoliennes alimentent désormais 800 000 foyers normands.",
                body_source=BODY,
                body_html=BODY,
                dateline="Caen, le 2 mars 2026",
            )
            for r in made
        ],
        batch_size=2000,
    )
    for r, v in zip(made, versions, strict=True):
        r.current_version = v
        r.approved_version = v
    Release.objects.bulk_update(made, ["current_version", "approved_version"], batch_size=2000)
    through = Release.topics.through
    through.objects.bulk_create(
        [through(release_id=r.pk, topic_id=topics[i % 8].pk) for i, r in enumerate(made)],
        batch_size=5000,
    )
    return [r.slug for r in made if r.state == ReleaseState.PUBLISHED]


def measure(backend: str, releases: int, repeat: int) -> list[Figure]:
    """The newsroom's figures on a fresh database of this backend."""
    db = harness.new_database(backend, "pressdesk_bench_newsroom")
    with harness.django_on(db):
        from django.test import Client

        org, _user = harness.org_and_user("bench")
        harness.log(f"[{backend}] writing {releases:,} releases")
        public = load(org, releases)
        client = Client()
        assert client.get("/health/").status_code == 200
        baseline = harness.median_ms(lambda: client.get("/health/"), 200)
        rng = random.Random(7)
        base = f"/newsroom/{org.slug}/"
        cases: list[tuple[str, list[str], float]] = [
            (
                "release page",
                [f"{base}{rng.choice(public)}/" for _ in range(repeat)],
                PAGE_TARGET_MS,
            ),
            ("list page 1", [base] * repeat, LIST_TARGET_MS),
            ("list deep page (?page=200)", [f"{base}?page=200"] * repeat, LIST_TARGET_MS),
            ("list by topic", [f"{base}?topic=theme-3"] * repeat, LIST_TARGET_MS),
            ("RSS feed", [f"{base}rss.xml"] * repeat, LIST_TARGET_MS),
            ("Atom feed", [f"{base}atom.xml"] * repeat, LIST_TARGET_MS),
            ("sitemap", [f"{base}sitemap.xml"] * repeat, LIST_TARGET_MS),
            ("search (one word)", [f"{base}?q=eoliennes"] * max(5, repeat // 10), 0.0),
        ]
        figures: list[Figure] = []
        for name, urls, target in cases:
            first = client.get(urls[0])
            if first.status_code != 200:
                raise RuntimeError(f"GET {urls[0]} answered {first.status_code}")
            times, _cpu = harness.timed([lambda u=u: client.get(u) for u in urls])
            figures.append(
                Figure(
                    f"{name} p95",
                    harness.percentile(times, 95),
                    "ms",
                    baseline,
                    "/health/",
                    target or None,
                    backend,
                    0,
                    extra={
                        "p50": harness.percentile(times, 50),
                        "releases": releases,
                        "bytes": len(first.content),
                    },
                )
            )
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure("postgres" if args.postgres else "sqlite", args.releases, args.repeat)
    harness.report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
