"""https through a pinned address: the certificate is checked for the name, SNI carries it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pressdesk.lib.safe_http import FetchError, FetchRefused, addresses, client, fetch
from pressdesk.lib.safe_http.testing import loopback_server

NAME = "news.example"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A throw-away authority and a certificate for news.example signed by it."""
    folder = tmp_path_factory.mktemp("tls")
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/CN=Pressdesk test CA",
        cwd=folder,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "site.key",
        "-out",
        "site.csr",
        "-subj",
        f"/CN={NAME}",
        cwd=folder,
    )
    (folder / "ext.cnf").write_text(f"subjectAltName=DNS:{NAME}\n")
    _openssl(
        "x509",
        "-req",
        "-in",
        "site.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "site.pem",
        "-extfile",
        "ext.cnf",
        cwd=folder,
    )
    return {name: str(folder / name) for name in ("ca.pem", "site.pem", "site.key")}


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """news.example resolves to loopback, as a DNS answer would."""
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["127.0.0.1"])


def test_it_fetches_https_by_address_with_the_name_verified(
    certificates: dict[str, str], dns: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "_test_ca_certs", certificates["ca.pem"])
    tls = (certificates["site.pem"], certificates["site.key"])
    with loopback_server(tls=tls, host=NAME) as server:
        server.route("/feed.xml", body=b"<rss/>")
        result = fetch(server.url("/feed.xml"))
    assert result.content == b"<rss/>"
    assert result.url == f"https://{NAME}:{server.port}/feed.xml"
    assert server.requests[0].headers["host"] == f"{NAME}:{server.port}"


def test_it_refuses_a_certificate_it_cannot_trust(certificates: dict[str, str], dns: None) -> None:
    tls = (certificates["site.pem"], certificates["site.key"])
    with loopback_server(tls=tls, host=NAME) as server:
        server.route("/feed.xml", body=b"<rss/>")
        with pytest.raises(FetchError) as failed:
            fetch(server.url("/feed.xml"))
    assert "certificate" in failed.value.reason.lower()


def test_it_refuses_a_certificate_for_another_name(
    certificates: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(addresses, "_getaddrinfo", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(client, "_test_ca_certs", certificates["ca.pem"])
    tls = (certificates["site.pem"], certificates["site.key"])
    with loopback_server(tls=tls, host="other.example") as server:
        server.route("/feed.xml", body=b"<rss/>")
        with pytest.raises(FetchError):
            fetch(server.url("/feed.xml"))
        assert server.requests == []


def test_it_refuses_a_redirect_from_https_down_to_http(
    certificates: dict[str, str], dns: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "_test_ca_certs", certificates["ca.pem"])
    tls = (certificates["site.pem"], certificates["site.key"])
    with loopback_server(tls=tls, host=NAME) as secure, loopback_server() as plain:
        plain.route("/feed.xml", body=b"<rss/>")
        secure.redirect("/feed.xml", plain.url("/feed.xml"))
        with pytest.raises(FetchRefused) as refused:
            fetch(secure.url("/feed.xml"))
        assert plain.requests == []
    assert "https down to http" in refused.value.reason
