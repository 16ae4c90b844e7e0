"""/api/v1/docs: Swagger UI from our own static files, under the strict CSP."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from pressdesk.accounts.models import User
from pressdesk.middleware import CSP

URL = "/api/v1/docs"


def test_it_works(client: Client) -> None:
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/pressdesk/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/pressdesk/swagger-ui/swagger-ui.css" in html
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    # Nothing from elsewhere: no CDN, no outside favicon.
    assert not re.search(r"""(src|href)="(https?:)?//""", html)


def test_it_keeps_the_strict_csp(client: Client) -> None:
    r = client.get(URL)
    assert r["Content-Security-Policy"] == CSP
    assert "unsafe" not in CSP
    assert "<script>" not in r.content.decode()  # no inline script for the CSP to refuse


def test_its_assets_are_ours(client: Client) -> None:
    for path in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"):
        assert finders.find(f"pressdesk/{path}"), path
        assert client.get(f"/static/pressdesk/{path}").status_code == 200
    script = client.get("/static/pressdesk/api-docs.js")
    assert b"validatorUrl: null" in b"".join(script.streaming_content)  # type: ignore[attr-defined]


def test_the_schema_it_reads_is_there(client: Client) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.json()["info"]["title"] == "Pressdesk API"


def test_the_user_menu_links_it(as_alice: Client, alice: User) -> None:
    html = as_alice.get("/o/acme/").content.decode()
    assert f'href="{URL}"' in html


def test_it_rejects_post(client: Client) -> None:
    assert client.post(URL).status_code == 405
