from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_describes_the_api() -> None:
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Pressdesk API"
    for path in ("/api/v1/me", "/api/v1/members", "/api/v1/audit"):
        assert "get" in schema["paths"][path], path
    # Every operation says it needs the bearer token.
    schemes = schema["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation.get("security"), path


@pytest.mark.django_db
def test_it_has_browsable_docs() -> None:
    assert Client().get("/api/v1/docs").status_code == 200
