"""Hostile servers: huge and endless bodies, compression bombs, slow drips. Capped, bounded."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler

import brotli
import pytest

from pressdesk.lib.safe_http import FetchError, addresses, fetch
from pressdesk.lib.safe_http.testing import loopback_server

BOMB_SIZE = 200_000_000  # 200 MB once decompressed
LIMIT = 1_000_000


def _bomb(encoding: str) -> bytes:
    """BOMB_SIZE zeros, compressed in steps so that the test itself stays small."""
    zeros = b"\0" * 10_000_000
    steps = BOMB_SIZE // len(zeros)
    if encoding == "br":
        squeezer = brotli.Compressor(quality=1)
        return b"".join(squeezer.process(zeros) for _ in range(steps)) + squeezer.finish()
    wbits = 31 if encoding == "gzip" else 15  # gzip container, or zlib's for deflate
    deflater = zlib.compressobj(1, zlib.DEFLATED, wbits)
    return b"".join(deflater.compress(zeros) for _ in range(steps)) + deflater.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {encoding: _bomb(encoding) for encoding in ("gzip", "deflate", "br")}


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_it_caps_a_compression_bomb_with_bounded_memory(
    encoding: str, bombs: dict[str, bytes]
) -> None:
    body = bombs[encoding]
    assert len(body) < BOMB_SIZE / 100
    with loopback_server() as server:
        server.route("/bomb", body=body, headers={"Content-Encoding": encoding})
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as failed:
                fetch(server.url("/bomb"), max_bytes=LIMIT)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert "too big" in failed.value.reason
    assert peak < 20 * LIMIT  # nowhere near the 200 MB the body would inflate to


def _endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"x" * 65536
    for _ in range(100_000):  # 6.5 GB if nobody stops reading
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _ten_gigabytes(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(10 * 1024**3))
    handler.end_headers()
    for _ in range(200_000):
        handler.wfile.write(b"y" * 65536)


def test_it_caps_an_endless_chunked_body() -> None:
    with loopback_server() as server:
        server.routes["/endless"] = _endless
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/endless"), max_bytes=LIMIT)
    assert "too big" in failed.value.reason


def test_it_refuses_a_declared_ten_gigabyte_body_without_reading_it() -> None:
    with loopback_server() as server:
        server.routes["/huge"] = _ten_gigabytes
        started = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/huge"))
    assert "too big" in failed.value.reason
    assert time.monotonic() - started < 5


def test_it_accepts_a_body_at_the_limit() -> None:
    with loopback_server() as server:
        server.route(
            "/exact", body=gzip.compress(b"z" * LIMIT), headers={"Content-Encoding": "gzip"}
        )
        assert len(fetch(server.url("/exact"), max_bytes=LIMIT).content) == LIMIT


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """One byte every 20 ms, forever: each read succeeds, so only a total deadline stops it."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(5000):
        handler.wfile.write(b"d")
        handler.wfile.flush()
        time.sleep(0.02)


def _silent(handler: BaseHTTPRequestHandler) -> None:
    """Accepts the request and never answers."""
    time.sleep(10)


@pytest.mark.parametrize("route", [_drip, _silent])
def test_it_caps_the_total_time(route: object) -> None:
    with loopback_server() as server:
        server.routes["/slow"] = route  # type: ignore[assignment]
        started = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/slow"), timeout=1.0)
        elapsed = time.monotonic() - started
    assert "too long" in failed.value.reason
    assert elapsed < 2.5


def test_it_reports_a_broken_compressed_body() -> None:
    with loopback_server() as server:
        server.route("/broken", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/broken"))
    assert failed.value.reason


def test_it_caps_the_time_dns_takes(monkeypatch: pytest.MonkeyPatch) -> None:
    released = threading.Event()

    def hanging_dns(host: str, port: int) -> list[str]:
        released.wait(10)
        return ["93.184.215.14"]

    monkeypatch.setattr(addresses, "_getaddrinfo", hanging_dns)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as failed:
            fetch("http://slow-dns.example/feed.xml", timeout=0.5)
    finally:
        released.set()
    assert "DNS did not answer" in failed.value.reason
    assert time.monotonic() - started < 2
