"""Polling cost: CPU of a conditional GET answered 304, through safe_http and bare urllib3.

A loopback server in another process (so that its CPU is not counted) answers 304 to every
request carrying If-None-Match. This process then makes N conditional GETs through
`safe_http.fetch` (checks, pinned connection, caps: a new connection each time, as polling
thousands of hosts reuses none), and, as the baseline in the same run, N bare urllib3 requests
on a new connection each. A second baseline reuses one keep-alive connection (urllib3's
PoolManager), the cheapest a client can be. The figure tells how many sources one core can poll:
at a 15-minute interval, 900 s divided by the CPU seconds of one poll.

    .venv/bin/python bench/bench_fetch.py [--requests 2000] [--json]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable

import harness  # noqa: F401 - puts the repository on sys.path
import urllib3
from harness import Figure, log, report

from pressdesk.lib.safe_http import allow_hosts_for_tests, fetch

SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def cpu_per_call(call: Callable[[], object], count: int) -> float:
    """CPU seconds of this process per call (the server's are not counted)."""
    for _ in range(20):
        call()
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        url = f"http://127.0.0.1:{port}/feed.xml"
        headers = {"If-None-Match": '"v1"', "Accept-Encoding": "gzip"}
        keep_alive = urllib3.PoolManager()

        def ours() -> None:
            assert fetch(url, etag='"v1"').not_modified

        def bare() -> None:
            pool = urllib3.HTTPConnectionPool("127.0.0.1", port, retries=False)
            assert pool.request("GET", "/feed.xml", headers=headers).status == 304
            pool.close()

        def reused() -> None:
            assert keep_alive.request("GET", url, headers=headers).status == 304

        with allow_hosts_for_tests({f"127.0.0.1:{port}"}):
            log(f"{args.requests} conditional GETs each way, server on port {port}")
            spent = {
                name: cpu_per_call(call, args.requests)
                for name, call in (("ours", ours), ("bare", bare), ("reused", reused))
            }
    finally:
        server.terminate()
        server.wait()
    ms = {name: value * 1000 for name, value in spent.items()}
    per_core = 900 / spent["ours"]
    figures = [
        Figure(
            "304 poll, CPU per request",
            ms["ours"],
            "ms",
            ms["bare"],
            "bare urllib3, new connection",
            extra={"sources/core at 15 min": int(per_core)},
        ),
        Figure(
            "304 poll, CPU per request",
            ms["ours"],
            "ms",
            ms["reused"],
            "urllib3 keep-alive connection",
        ),
    ]
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
