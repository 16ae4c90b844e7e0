"""Fetching from a real HTTP server on loopback: conditional GET, redirects, pinning, statuses."""

from __future__ import annotations

import pytest

from pressdesk.lib.safe_http import FetchError, FetchRefused, addresses, fetch
from pressdesk.lib.safe_http.testing import loopback_server


def test_it_fetches_a_page_with_its_validators() -> None:
    with loopback_server() as server:
        server.route(
            "/feed.xml",
            body=b"<rss/>",
            headers={
                "Content-Type": "application/rss+xml; charset=utf-8",
                "Last-Modified": "Sat, 28 Nov 2026 10:00:00 GMT",
            },
            etag='"v1"',
        )
        result = fetch(server.url("/feed.xml"), accept="application/rss+xml")
    assert result.status == 200
    assert result.content == b"<rss/>"
    assert result.etag == '"v1"'
    assert result.last_modified == "Sat, 28 Nov 2026 10:00:00 GMT"
    assert result.content_type == "application/rss+xml"
    assert not result.not_modified
    assert server.requests[0].headers["accept"] == "application/rss+xml"
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"


def test_it_sends_the_validators_and_reads_304() -> None:
    with loopback_server() as server:
        server.route("/feed.xml", body=b"<rss/>", etag='"v1"')
        result = fetch(server.url("/feed.xml"), etag='"v1"', last_modified="Sat, 28 Nov 2026")
    assert result.status == 304
    assert result.not_modified
    assert result.content == b""
    assert result.etag == '"v1"'
    assert server.requests[0].headers["if-none-match"] == '"v1"'
    assert server.requests[0].headers["if-modified-since"] == "Sat, 28 Nov 2026"


@pytest.mark.parametrize("status", [404, 410, 429, 500, 503])
def test_it_reports_a_bad_status(status: int) -> None:
    with loopback_server() as server:
        server.route("/gone", status=status, body=b"no")
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/gone"))
    assert failed.value.status == status
    assert str(status) in failed.value.reason
    assert not isinstance(failed.value, FetchRefused)


def test_it_reports_a_closed_port() -> None:
    with loopback_server() as server:
        port = server.port
    with loopback_server() as other, addresses.allow_hosts_for_tests({f"127.0.0.1:{port}"}):
        assert other.port != port
        with pytest.raises(FetchError) as failed:
            fetch(f"http://127.0.0.1:{port}/")
    assert "network error" in failed.value.reason


def test_it_follows_redirects_and_says_where_it_ended() -> None:
    with loopback_server() as server:
        server.redirect("/old", "/older", status=301)
        server.redirect("/older", server.url("/feed.xml"), status=308)
        server.route("/feed.xml", body=b"<feed/>")
        result = fetch(server.url("/old"))
        assert result.content == b"<feed/>"
        assert result.url == server.url("/feed.xml")
        assert result.redirects == [server.url("/old"), server.url("/older")]
        assert result.permanent_redirect


def test_it_marks_a_temporary_redirect_as_such() -> None:
    with loopback_server() as server:
        server.redirect("/today", "/feed.xml", status=302)
        server.route("/feed.xml", body=b"<feed/>")
        result = fetch(server.url("/today"))
    assert not result.permanent_redirect


def test_it_stops_a_long_redirect_chain() -> None:
    with loopback_server() as server:
        for hop in range(10):
            server.redirect(f"/r{hop}", f"/r{hop + 1}")
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/r0"))
    assert "too many redirects" in failed.value.reason
    assert len(server.requests) == 6  # the first request and five hops, no more


def test_it_stops_a_redirect_loop() -> None:
    with loopback_server() as server:
        server.redirect("/a", "/b")
        server.redirect("/b", "/a")
        with pytest.raises(FetchError):
            fetch(server.url("/a"))


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::ffff:10.0.0.1]/",
        "http://2130706433/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
    ],
)
def test_it_checks_every_redirect_hop(location: str) -> None:
    with loopback_server() as server:
        server.redirect("/public", location)
        with pytest.raises(FetchRefused):
            fetch(server.url("/public"))


def test_it_sends_nothing_to_an_internal_redirect_target() -> None:
    with loopback_server() as server, loopback_server(allow=False) as internal:
        internal.route("/admin", body=b"secret")
        server.redirect("/public", internal.url("/admin"))
        with pytest.raises(FetchRefused):
            fetch(server.url("/public"))
        assert internal.requests == []


def test_it_connects_to_the_address_it_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second DNS answer (rebinding) is never asked for: the connection uses the first."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    def rebinding_dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    monkeypatch.setattr(addresses, "_getaddrinfo", rebinding_dns)
    with loopback_server() as server:
        server.route("/feed.xml", body=b"<rss/>")
        # "news.example" does not exist in real DNS: urllib3 resolving it would fail.
        result = fetch(f"http://news.example:{server.port}/feed.xml")
    assert result.content == b"<rss/>"
    assert asked == ["news.example"]
    assert server.requests[0].headers["host"] == f"news.example:{server.port}"


def test_it_refuses_when_the_name_now_resolves_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked again at every fetch: a name that was public when saved and is internal now."""
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["93.184.215.14"])
    addresses.check_url("http://news.example/feed.xml")
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["192.168.1.10"])
    with pytest.raises(FetchRefused):
        fetch("http://news.example/feed.xml")
