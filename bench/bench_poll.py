"""Polling cost: 1,000 feeds on a loopback server, 90% of them answering 304 Not Modified.

Each source is polled once to learn its ETag (not timed), then every poll runs again through
`polling.run_poll` (claim, conditional GET through safe_http, health, validators, new items
stored and their pipeline woken, claim finished): 900 feeds answer 304, 100 serve a feed with
five new items. The figure is CPU time of this process per poll; the server runs in another
process so that its work does not count. The baseline, in the same run, is a bare urllib3
conditional GET (keep-alive) answered 304 by the same server.

    .venv/bin/python bench/bench_poll.py [--feeds 1000] [--postgres] [--json]

From the CPU per poll follows how many sources one core can watch at a 15-minute interval
(900 s / CPU per poll); network latency and per-host politeness are not counted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import harness
from harness import Figure, log, report

INTERVAL = 15 * 60


def _serve(port_out: Any, changing_every: int) -> None:
    """A feed server: /f/N answers 304 to its ETag, except every changing_every-th feed."""
    served: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            number = int(self.path.rsplit("/", 1)[-1])
            changing = number % changing_every == 0
            etag = f'"f{number}-{served.get(self.path, 0)}"'
            if not changing and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            round_ = served[self.path] = served.get(self.path, 0) + (1 if changing else 0)
            etag = f'"f{number}-{round_}"'
            items = "".join(
                f"<item><title>Feed {number} item {round_}-{n}</title>"
                f"<link>https://news.example/{number}/{round_}/{n}</link>"
                f"<guid>{number}-{round_}-{n}</guid><description>Short.</description></item>"
                for n in range(5)
            )
            body = (
                '<?xml version="1.0"?><rss version="2.0"><channel>'
                f"<title>Feed {number}</title>{items}</channel></rss>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


def bare_304(port: int, requests: int) -> float:
    """CPU seconds per bare urllib3 conditional GET answered 304 (keep-alive)."""
    import urllib3

    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1)
    etag = pool.request("GET", "/f/1").headers["ETag"]
    started = time.process_time()
    for _ in range(requests):
        answer = pool.request("GET", "/f/1", headers={"If-None-Match": etag})
        assert answer.status == 304
    return (time.process_time() - started) / requests


def main() -> None:
    """Serve, poll twice, time the second round."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    ports: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports, 10), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    try:
        with harness.django_on(harness.new_database(backend, "pressdesk_bench_poll")):
            from django.conf import settings
            from django.utils import timezone

            from pressdesk.accounts.models import Organisation
            from pressdesk.lib.safe_http.addresses import allow_hosts_for_tests
            from pressdesk.monitoring import polling, sources
            from pressdesk.monitoring.models import SourcePoll
            from pressdesk.work.models import WorkState

            settings.MONITORING_HOST_DELAY = 0
            polling.logger.disabled = True
            org = Organisation.objects.create(name="Bench", slug="bench")
            with allow_hosts_for_tests([f"127.0.0.1:{port}"]):
                baseline = bare_304(port, 2000)
                for number in range(args.feeds):
                    sources.add(org, f"http://127.0.0.1:{port}/f/{number}")

                def round_() -> tuple[float, int, int]:
                    now = timezone.now()
                    polls = SourcePoll.objects.for_org(org)
                    polls.update(
                        state=WorkState.PENDING, queued_at=now, due_at=now - timedelta(seconds=1)
                    )
                    ids = list(polls.order_by("pk").values_list("pk", flat=True))
                    not_modified = new = 0
                    started = time.process_time()
                    for poll_id in ids:
                        found = polling.run_poll(poll_id)
                        assert found is not None and not found.error, found
                        not_modified += found.not_modified
                        new += len(found.new_items)
                    return time.process_time() - started, not_modified, new

                round_()  # learns every ETag
                cpu, not_modified, new = round_()
        per_poll = cpu / args.feeds
        log(
            f"{args.feeds} polls: {not_modified} answered 304, {args.feeds - not_modified}"
            f" changed with {new} new items; {cpu:.2f} s of CPU"
        )
        report(
            [
                Figure(
                    f"poll, 90% answering 304 ({backend}), CPU per poll",
                    per_poll * 1000,
                    "ms",
                    baseline * 1000,
                    "bare urllib3 304, keep-alive",
                    backend=backend,
                ),
                Figure(
                    f"sources one core polls every 15 min ({backend})",
                    INTERVAL / per_poll,
                    "sources",
                    INTERVAL / baseline,
                    "bare urllib3 304",
                    backend=backend,
                ),
            ],
            args.json,
        )
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
