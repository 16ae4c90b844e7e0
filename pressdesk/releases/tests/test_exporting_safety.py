"""PDF safety: a release's HTML cannot make the renderer read a file or reach any address."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from pressdesk.accounts.models import Organisation
from pressdesk.releases import exporting
from pressdesk.releases.tests import kits_sample as s


class Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Counting.hits.append(self.path)
        body = s.PNG
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Counting.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_server_counts_what_a_plain_fetch_asks(server: str) -> None:
    """The counter works: WeasyPrint's own fetcher reaches it, so a zero below means something."""
    from weasyprint import HTML

    HTML(string=f'<img src="http://{server}/plain.png">').write_pdf()
    assert Counting.hits == ["/plain.png"]


def test_it_fetches_no_file_and_no_address(
    org: Organisation, server: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-9F2")
    hostile = (
        "<p>Avant</p>"
        '<img src="file:///etc/passwd">'
        f'<img src="file://{secret}">'
        f'<img src="http://{server}/internal.png">'
        f'<img src="https://{server}/tls.png">'
        f'<img src="//{server}/protocol-relative.png">'
        '<img src="/etc/passwd">'
        '<img src="/static/../../../../etc/passwd">'
        '<img src="/static/%2e%2e/%2e%2e/etc/passwd">'
        f'<img src="https://pressdesk.invalid@{server}/userinfo.png">'
        f'<p style="background: url(http://{server}/style.png)">Style</p>'
        f'<link rel="stylesheet" href="http://{server}/sheet.css">'
        f'<object data="file://{secret}"></object>'
        f'<iframe src="file://{secret}"></iframe>'
        "<p>Après</p>"
    )
    release = s.release(org, body_html=hostile)
    fetcher = exporting.SafeFetcher()
    pdf = exporting.release_pdf(exporting.release_document(release), fetcher)
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert Counting.hits == []
    assert "Avant" in text and "Après" in text
    assert "TOPSECRET" not in text and "root:" not in text
    assert b"TOPSECRET" not in pdf
    assert any("etc/passwd" in u for u in fetcher.refused)
    assert any(server in u for u in fetcher.refused)
    # Only our own style sheet was read, from disk.
    assert fetcher.served == ["https://pressdesk.invalid/static/releases/pdf/document.css"]


def test_it_lets_data_urls_through(org: Organisation) -> None:
    uri = exporting.Picture(s.PNG, "image/png", "x.png").data_uri
    release = s.release(org, body_html=f'<p>Image</p><img src="{uri}" alt="point">')
    fetcher = exporting.SafeFetcher()
    pdf = exporting.release_pdf(exporting.release_document(release), fetcher)
    assert fetcher.refused == []
    assert b"/Subtype /Image" in pdf


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://pressdesk.invalid/static/releases/pdf/document.css", True),
        ("https://pressdesk.invalid/static/pressdesk/favicon.svg", True),
        ("https://pressdesk.invalid/static/../settings.py", False),
        ("https://pressdesk.invalid/static/%2e%2e/settings.py", False),
        ("https://pressdesk.invalid/static/nothing-here.css", False),
        ("https://pressdesk.invalid/media/x.png", False),
        ("https://pressdesk.invalid:8443/static/pressdesk/favicon.svg", False),
        ("http://pressdesk.invalid/static/pressdesk/favicon.svg", False),
        ("file:///etc/passwd", False),
        ("http://127.0.0.1/static/pressdesk/favicon.svg", False),
    ],
)
def test_it_answers_only_our_static_files(url: str, allowed: bool) -> None:
    assert (exporting.static_path(url) is not None) is allowed


def test_it_refuses_a_colour_that_is_not_one(org: Organisation) -> None:
    from pressdesk.releases.models import Newsroom

    Newsroom.objects.create(org=org, primary_colour="red;}*")
    assert exporting.brand(org).colour == exporting.DEFAULT_COLOUR
