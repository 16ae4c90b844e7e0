"""Internal addresses in every spelling, and non-http schemes, are refused before any packet."""

from __future__ import annotations

import pytest

from pressdesk.lib.safe_http import FetchRefused, addresses, allow_hosts_for_tests, check_url, fetch
from pressdesk.lib.safe_http.testing import loopback_server

INTERNAL = [
    "http://127.0.0.1{port}/",
    "http://[::1]{port}/",
    "http://10.0.0.1{port}/",
    "http://172.16.0.1{port}/",
    "http://172.31.255.254{port}/",
    "http://192.168.0.1{port}/",
    "http://169.254.169.254{port}/latest/meta-data/",
    "http://0.0.0.0{port}/",
    "http://[::ffff:127.0.0.1]{port}/",
    "http://[::ffff:7f00:1]{port}/",
    "http://2130706433{port}/",
    "http://0177.0.0.1{port}/",
    "http://0x7f.0.0.1{port}/",
    "http://0x7f000001{port}/",
    "http://127.1{port}/",
    "http://0{port}/",
    "http://127.0.0.1.{port}/",
    "http://[0:0:0:0:0:0:0:1]{port}/",
    "http://[fe80::1]{port}/",
    "http://[fd00:ec2::254]{port}/",
    "http://[64:ff9b::a9fe:a9fe]{port}/",
    "http://[2002:c0a8:1::]{port}/",
    "http://100.100.100.200{port}/",
    "http://localhost{port}/",
    "https://LOCALHOST{port}/",
    "http://printer.local{port}/",
]

SCHEMES = [
    "file:///etc/passwd",
    "gopher://example.com:70/_stats",
    "dict://example.com:11211/stat",
    "ftp://example.com/feed.xml",
    "javascript:alert(1)",
    "  http://example.com/feed",
    "%20javascript:alert(1)",
    "http://example.com/\n/feed",
    "http://user:secret@example.com/",
    "//example.com/feed",
    "",
]


@pytest.mark.parametrize("template", INTERNAL)
def test_it_refuses_internal_addresses_in_every_spelling(template: str) -> None:
    with pytest.raises(FetchRefused):
        check_url(template.format(port=""))


@pytest.mark.parametrize("template", INTERNAL)
def test_it_sends_no_packet_to_a_refused_address(template: str) -> None:
    with loopback_server(allow=False) as server:
        url = template.format(port=f":{server.port}")
        with pytest.raises(FetchRefused):
            fetch(url)
        assert server.requests == []


@pytest.mark.parametrize("url", SCHEMES)
def test_it_fetches_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchRefused) as refused:
        fetch(url)
    assert refused.value.reason


def test_it_refuses_a_name_resolving_to_an_internal_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["10.1.2.3"])
    with pytest.raises(FetchRefused) as refused:
        check_url("https://intranet.example.com/feed")
    assert "intranet.example.com (10.1.2.3) is a private address" in refused.value.reason


def test_it_refuses_a_name_when_one_of_its_addresses_is_internal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["93.184.215.14", "::1"])
    with pytest.raises(FetchRefused):
        check_url("https://mixed.example.com/")


def test_it_accepts_a_public_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["93.184.215.14"])
    check_url("https://www.example.com/feed")
    check_url("http://93.184.215.14:8080/feed")


def test_it_refuses_an_unresolvable_name_when_saving(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(addresses, "_getaddrinfo", fail)
    with pytest.raises(FetchRefused) as refused:
        check_url("https://no-such-host.example/")
    assert "cannot resolve" in refused.value.reason


def test_it_keeps_the_allowance_to_tests_only(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_server(allow=False) as server:
        server.route("/", body=b"hello")
        with allow_hosts_for_tests({f"127.0.0.1:{server.port}"}):
            assert fetch(server.url("/")).content == b"hello"
            # Were the same code running outside tests, the allowance would count for nothing.
            monkeypatch.setattr(addresses, "_running_tests", lambda: False)
            with pytest.raises(FetchRefused):
                fetch(server.url("/"))
        with pytest.raises(RuntimeError), allow_hosts_for_tests({f"127.0.0.1:{server.port}"}):
            pass


def test_it_allows_only_the_listed_port() -> None:
    with loopback_server() as server, loopback_server(allow=False) as other:
        other.route("/", body=b"secret")
        with pytest.raises(FetchRefused):
            fetch(other.url("/"))
        assert other.requests == []
        assert server.port != other.port
