"""The public newsroom with 10,000 releases, served over HTTP: a release page (target p95 ≤ 30 ms),
and the list, the feeds and the sitemap (target p95 ≤ 60 ms).

The releases are written into a fresh database (SQLite, or PostgreSQL with --postgres): French
(France and Canada) and English, 1 to 3 of 12 topics each, a third with an image, news-like bodies
(bench/newstext.py), some FR ↔ EN translations; nine in ten public, the rest scheduled under an
embargo, drafts or withdrawn, so every query filters on the public rule as in production.

Then gunicorn (one sync worker, as `pressdesk serve` runs it) serves that database on loopback,
and this process GETs each address over HTTP, one request at a time, timing the whole exchange.
Baseline: `GET /health/` through the same server in the same run. Two passes:

- "kept": the settings as shipped: an answer may be kept under the newsroom's stamp
  (pressdesk/releases/newsroom_cache.py), so repeated addresses are served from memory;
- "built": Django's dummy cache (bench/bench_newsroom_settings.py), so every answer is built
  from the database: the cost of the first request after each change or embargo lift.

For each request the server's CPU time is read too (the gunicorn worker's, and on PostgreSQL the
server processes of the benchmark database, from /proc/<pid>/schedstat): on a shared machine the
wall time includes waiting for a CPU, the CPU time does not. The load average is printed.

`.venv/bin/python bench/bench_newsroom.py [--releases 10000] [--repeat 200] [--postgres] [--json]
[--keep LABEL]`
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import harness
import newstext
from harness import Figure

PAGE_TARGET_MS = 30.0
LIST_TARGET_MS = 60.0
TOPICS = [
    "Énergie",
    "Recrutement",
    "Résultats",
    "Innovation",
    "Territoires",
    "Mobilité",
    "Santé",
    "Culture",
    "Environnement",
    "Numérique",
    "Éducation",
    "Partenariats",
]
# A 1×1 PNG: every image row points at the same stored file.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def load(org: Any, releases: int) -> dict[str, list[str]]:
    """Write `releases` releases with their versions, topics, images and translations.

    Returns the public releases' slugs by language ("fr", "en")."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from pressdesk.releases.markup import to_html
    from pressdesk.releases.models import (
        AssetKind,
        MediaAsset,
        Release,
        ReleaseAttachment,
        ReleaseState,
        ReleaseVersion,
        Topic,
        version_search_text,
    )

    rng = random.Random(20261128)
    now = timezone.now()
    topics = [
        Topic.objects.create(org=org, name=name, slug=f"theme-{n}") for n, name in enumerate(TOPICS)
    ]
    rows: list[Release] = []
    for n in range(releases):
        kind = rng.random()
        template = rng.choices(["fr-FR", "fr-CA", "en"], weights=[75, 8, 17])[0]
        # The newest release is n = releases - 1; one every ~40 minutes over the past years.
        published = now - timedelta(minutes=40 * (releases - n) + rng.randint(0, 30))
        embargo = None
        if kind < 0.88:
            state, visible = ReleaseState.PUBLISHED, published
        elif kind < 0.90:
            state, visible = ReleaseState.PUBLISHED, published
            embargo = published
        elif kind < 0.95:
            state = ReleaseState.SCHEDULED
            visible = embargo = now + timedelta(days=1 + n % 30, minutes=n % 60)
        elif kind < 0.98:
            state, visible = rng.choice([ReleaseState.DRAFT, ReleaseState.IN_REVIEW]), None
        else:
            state, visible = ReleaseState.WITHDRAWN, None
        rows.append(
            Release(
                org=org,
                title=f"Communiqué n° {n} : {rng.choice(newstext.PLACES)} et "
                f"{rng.choice(newstext.BRANDS)}",
                slug=f"communique-{n}",
                template=template,
                state=state,
                visible_from=visible,
                embargo_until=embargo,
                published_at=visible,
                created=published - timedelta(days=2),
                updated=visible or published,
            )
        )
    made = Release.objects.bulk_create(rows, batch_size=2000)
    versions = []
    for r in made:
        body = newstext.article(rng, words=rng.randint(250, 450))
        version = ReleaseVersion(
            release=r,
            number=1,
            title=r.title,
            lead=newstext.article(rng, words=40),
            body_source=body,
            body_html=to_html(body, r.template),
            dateline="Caen, le 2 mars 2026" if r.template != "en" else "Caen, 2 March 2026",
            boilerplate_html="<p>À propos : le groupe exploite 71 éoliennes en mer.</p>",
            contact_block_html="<p>Contact presse : Jeanne Martin, 01 23 45 67 89</p>",
            char_count=len(body),
        )
        # bulk_create skips save(): the search words are computed as save() would.
        version.search_text = version_search_text(version)
        versions.append(version)
    versions = ReleaseVersion.objects.bulk_create(versions, batch_size=1000)
    for r, v in zip(made, versions, strict=True):
        r.current_version = v
        if r.state in (ReleaseState.PUBLISHED, ReleaseState.SCHEDULED):
            r.approved_version = v
    # FR ↔ EN translations: pair each English release with the French one before it.
    for prev, r in itertools.pairwise(made):
        if r.template == "en" and prev.template != "en" and rng.random() < 0.5:
            r.translation, prev.translation = prev, r
    Release.objects.bulk_update(
        made, ["current_version", "approved_version", "translation"], batch_size=2000
    )
    through = Release.topics.through
    links = []
    for r in made:
        for topic in rng.sample(topics, rng.randint(1, 3)):
            links.append(through(release_id=r.pk, topic_id=topic.pk))
    through.objects.bulk_create(links, batch_size=5000)
    stored = MediaAsset(org=org, kind=AssetKind.IMAGE, filename="photo.png")
    stored.file.save("photo.png", ContentFile(PNG), save=False)
    assets = MediaAsset.objects.bulk_create(
        [
            MediaAsset(
                org=org,
                kind=AssetKind.IMAGE,
                file=stored.file.name,
                filename=f"photo-{r.pk}.png",
                content_type="image/png",
                size=len(PNG),
                caption="Le parc éolien au large de Courseulles",
                alt_text="Des éoliennes en mer au lever du jour",
                credit="© Jeanne Martin",
            )
            for r in made
            if rng.random() < 0.33
        ],
        batch_size=2000,
    )
    with_image = rng.sample(made, len(assets))
    ReleaseAttachment.objects.bulk_create(
        [
            ReleaseAttachment(release=r, asset=a, position=0)
            for r, a in zip(with_image, assets, strict=True)
        ],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM too, as autovacuum would soon after such a load (index-only
        # counts need the visibility map); SQLite: statistics only.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    public: dict[str, list[str]] = {"fr": [], "en": []}
    for r in made:
        if r.state == ReleaseState.PUBLISHED:
            public["en" if r.template == "en" else "fr"].append(r.slug)
    return public


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command name (which may hold spaces) start at its ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@contextmanager
def served(db: harness.BenchDatabase, settings_module: str) -> Iterator[Server]:
    """gunicorn with one sync worker on a free loopback port, on the benchmark's database."""
    port = _free_port()
    env = {
        **os.environ,
        **db.env,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(harness.ROOT), str(harness.ROOT / "bench")]),
        "SITE_ROOT": f"http://127.0.0.1:{port}",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pressdesk.wsgi",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    master = subprocess.Popen(command, env=env, cwd=harness.ROOT)
    try:
        server = Server(port, master.pid, db)
        server.wait_ready()
        yield server
    finally:
        master.terminate()
        master.wait(timeout=30)


class Server:
    """The running gunicorn: GETs, and the CPU time its worker (and database) used."""

    def __init__(self, port: int, master: int, db: harness.BenchDatabase) -> None:
        self.port = port
        self.master = master
        self.db = db

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /health/ within a minute")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), response.headers
        finally:
            conn.close()

    def cpu_ms(self) -> float:
        """CPU time used so far by the worker and the database's server processes, in ms."""
        total = sum(harness._schedstat_ms(pid) for pid in _children(self.master))
        if self.db.backend == "postgres":
            total += sum(harness._schedstat_ms(pid) for pid in self._pg_backends())
        return total

    def _pg_backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]


def timed(
    server: Server, paths: list[str], headers: dict[str, str] | None = None
) -> tuple[list[float], list[float], int]:
    """Wall and server CPU time of each GET, in ms (after three warm-up GETs), and the last
    answer's size."""
    for path in paths[:3]:
        server.get(path, headers)
    wall, cpu = [], []
    size = 0
    for path in paths:
        before = server.cpu_ms()
        started = time.perf_counter()
        status, body, _headers = server.get(path, headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append(server.cpu_ms() - before)
        if status not in (200, 304):
            raise RuntimeError(f"GET {path} answered {status}")
        size = len(body)
    return wall, cpu, size


def cases(
    base: str, public: dict[str, list[str]], repeat: int
) -> list[tuple[str, list[str], float]]:
    """(name, addresses, target) of each figure."""
    rng = random.Random(7)
    everyone = public["fr"] + public["en"]
    searches = max(20, repeat // 4)
    return [
        ("release page", [f"{base}{rng.choice(everyone)}/" for _ in range(repeat)], PAGE_TARGET_MS),
        ("list page 1", [base] * repeat, LIST_TARGET_MS),
        ("list page 1, English", [f"{base}?lang=en"] * repeat, LIST_TARGET_MS),
        ("list deep page (?page=200)", [f"{base}?page=200"] * repeat, LIST_TARGET_MS),
        ("list by topic", [f"{base}?topic=theme-3"] * repeat, LIST_TARGET_MS),
        ("search, a common word", [f"{base}?q=paris"] * searches, LIST_TARGET_MS),
        ("search, two words", [f"{base}?q=orange+lyon"] * searches, LIST_TARGET_MS),
        ("RSS feed", [f"{base}rss.xml"] * repeat, LIST_TARGET_MS),
        ("Atom feed", [f"{base}atom.xml"] * repeat, LIST_TARGET_MS),
        ("sitemap.xml (index)", [f"{base}sitemap.xml"] * repeat, LIST_TARGET_MS),
        ("sitemap page (1,000 URLs)", [f"{base}sitemap-5.xml"] * repeat, LIST_TARGET_MS),
        ("press kits list", [f"{base}kits/"] * repeat, LIST_TARGET_MS),
    ]


def measure_pass(
    server: Server, label: str, base: str, public: dict[str, list[str]], repeat: int
) -> list[Figure]:
    """Every figure through this server; ratios to /health/ through the same server."""
    backend = server.db.backend
    load_before = os.getloadavg()[0]
    health, health_cpu, _size = timed(server, ["/health/"] * max(repeat, 100))
    baseline = harness.percentile(health, 95)
    figures = [
        Figure(
            f"[{label}] /health/ p95",
            baseline,
            "ms",
            baseline,
            "/health/ p95",
            None,
            backend,
            0,
            extra={
                "p50": harness.percentile(health, 50),
                "cpu_p50": harness.percentile(health_cpu, 50),
            },
        )
    ]
    for name, paths, target in cases(base, public, repeat):
        wall, cpu, size = timed(server, paths)
        figures.append(
            Figure(
                f"[{label}] {name} p95",
                harness.percentile(wall, 95),
                "ms",
                baseline,
                "/health/ p95",
                target,
                backend,
                0,
                extra={
                    "p50": harness.percentile(wall, 50),
                    "cpu_p50": harness.percentile(cpu, 50),
                    "cpu_p95": harness.percentile(cpu, 95),
                    "bytes": size,
                },
            )
        )
    # A feed reader asking again with the ETag it was given: 304, no body.
    _status, _body, headers = server.get(f"{base}rss.xml")
    etag = headers.get("ETag", "")
    wall, cpu, _size = timed(server, [f"{base}rss.xml"] * repeat, {"If-None-Match": etag})
    figures.append(
        Figure(
            f"[{label}] RSS, If-None-Match (304) p95",
            harness.percentile(wall, 95),
            "ms",
            baseline,
            "/health/ p95",
            LIST_TARGET_MS,
            backend,
            0,
            extra={"p50": harness.percentile(wall, 50), "cpu_p50": harness.percentile(cpu, 50)},
        )
    )
    load_after = os.getloadavg()[0]
    harness.log(f"[{label}] load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    for f in figures:
        f.extra["load"] = f"{load_before:.1f}–{load_after:.1f}"
    return figures


@contextmanager
def database(
    backend: str, releases: int, keep: str
) -> Iterator[tuple[harness.BenchDatabase, Any, dict[str, list[str]]]]:
    """The benchmark's organisation and its public slugs by language, on a loaded database:
    a fresh one dropped afterwards, or with `keep` one loaded once and kept for later runs
    (migrated again each time, so new migrations apply to it)."""
    if not keep:
        db = harness.new_database(backend, "pressdesk_bench_newsroom")
        with harness.django_on(db):
            org, public = _fill(backend, releases)
            yield db, org, public
        return
    tag = f"{keep}_{backend}_{releases}"
    var_dir = Path(tempfile.gettempdir()) / "pressdesk_bench_keep" / f"newsroom_{tag}"
    db = harness.BenchDatabase(backend, f"pressdesk_keep_newsroom_{tag}", var_dir)
    marker = var_dir / "loaded"
    if not marker.exists():
        db.create()
    os.environ.update(db.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    db.migrate()
    if marker.exists():
        from pressdesk.accounts.models import Organisation

        harness.log(f"[{backend}] reusing the database kept as {tag} ({db.name})")
        org = Organisation.objects.get(slug="bench")
        public = _public_slugs(org)
    else:
        org, public = _fill(backend, releases)
        marker.write_text("loaded\n")
    yield db, org, public


def _fill(backend: str, releases: int) -> tuple[Any, dict[str, list[str]]]:
    org, _user = harness.org_and_user("bench")
    harness.log(f"[{backend}] writing {releases:,} releases")
    started = time.perf_counter()
    public = load(org, releases)
    harness.log(f"[{backend}] written in {time.perf_counter() - started:.1f} s")
    _kit(org)
    return org, public


def _public_slugs(org: Any) -> dict[str, list[str]]:
    """The published releases' slugs by language, as `load` returned them, in id order."""
    from pressdesk.releases.models import Release, ReleaseState

    public: dict[str, list[str]] = {"fr": [], "en": []}
    rows = Release.objects.for_org(org).filter(state=ReleaseState.PUBLISHED).order_by("pk")
    for slug, template in rows.values_list("slug", "template"):
        public["en" if template == "en" else "fr"].append(slug)
    return public


def measure(backend: str, releases: int, repeat: int, keep: str = "") -> list[Figure]:
    """The newsroom's figures on a loaded database of this backend, kept then built."""
    with database(backend, releases, keep) as (db, org, public):
        from django.db import connections

        # The server processes must see every row: nothing left open here.
        connections.close_all()
        base = f"/newsroom/{org.slug}/"
        figures: list[Figure] = []
        for label, settings_module in (
            ("kept", "pressdesk.settings"),
            ("built", "bench_newsroom_settings"),
        ):
            with served(db, settings_module) as server:
                figures += measure_pass(server, label, base, public, repeat)
        return figures


def _kit(org: Any) -> None:
    """Two public press kits and one under embargo, for the kits list."""
    from django.utils import timezone

    from pressdesk.releases.models import PressKit

    now = timezone.now()
    for n, visible in enumerate(
        [now - timedelta(days=3), now - timedelta(days=1), now + timedelta(days=2)]
    ):
        PressKit.objects.create(
            org=org,
            title=f"Dossier de presse n° {n}",
            slug=f"dossier-{n}",
            intro_html="<p>Tout sur le parc éolien en mer : chiffres clés, photos, contacts.</p>",
            published=True,
            visible_from=visible,
            embargo_until=visible,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--keep",
        default="",
        metavar="LABEL",
        help="load the database once under this label and keep it; later runs reuse it",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="with --keep: load the database, measure nothing"
    )
    args = parser.parse_args(argv)
    backend = "postgres" if args.postgres else "sqlite"
    if args.load_only:
        with database(backend, args.releases, args.keep or "manual") as (db, _org, public):
            harness.log(f"[{backend}] {db.name}: {sum(map(len, public.values())):,} published")
        return 0
    figures = measure(backend, args.releases, args.repeat, args.keep)
    harness.report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
