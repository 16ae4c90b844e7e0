"""The `org_view` decorator: permission names checked when applied, `edit` by default for
writes, and the organisation's time zone for the request only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils import timezone

from pressdesk.accounts.access import org_view
from pressdesk.accounts.models import Organisation, User


@org_view(methods=["GET", "POST"])
def default_perm(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@org_view("read", methods=["POST"])
def read_by_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@org_view()
def zone_name(request: HttpRequest) -> HttpResponse:
    return HttpResponse(timezone.get_current_timezone_name())


@org_view()
def failing(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view broke")


@org_view()
def streamed(request: HttpRequest) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        # Runs after the view has returned, as a streamed export's rows do.
        yield timezone.get_current_timezone_name()
        yield "|"
        yield timezone.get_current_timezone_name()

    return StreamingHttpResponse(chunks())


def call(rf: RequestFactory, user: User, view: object, method: str = "get") -> HttpResponse:
    request = getattr(rf, method)("/")
    request.user = user
    return view(request, org_slug="acme")  # type: ignore[operator,no-any-return]


def test_it_refuses_an_unknown_permission_when_applied() -> None:
    with pytest.raises(ValueError, match="unknown permission 'eddit'"):
        org_view("eddit")


def test_it_asks_for_edit_on_a_write_unless_told(rf: RequestFactory, vera: User, bob: User) -> None:
    assert call(rf, vera, default_perm).status_code == 200
    assert call(rf, vera, default_perm, "head").status_code == 200
    assert call(rf, bob, default_perm, "post").status_code == 200
    with pytest.raises(PermissionDenied):
        call(rf, vera, default_perm, "post")


def test_a_stated_permission_holds_for_every_method(rf: RequestFactory, vera: User) -> None:
    assert call(rf, vera, read_by_post, "post").status_code == 200


def test_the_organisations_time_zone_holds_for_the_request_only(
    rf: RequestFactory, org: Organisation, vera: User
) -> None:
    org.timezone = "Pacific/Auckland"
    org.save()
    with timezone.override("America/Lima"):
        assert call(rf, vera, zone_name).content == b"Pacific/Auckland"
        assert timezone.get_current_timezone_name() == "America/Lima"
        with pytest.raises(RuntimeError):
            call(rf, vera, failing)
        assert timezone.get_current_timezone_name() == "America/Lima"


def test_a_streamed_response_is_made_in_the_organisations_time_zone(
    rf: RequestFactory, org: Organisation, vera: User
) -> None:
    org.timezone = "Asia/Tokyo"
    org.save()
    with timezone.override("America/Lima"):
        response = call(rf, vera, streamed)
        assert b"".join(response.streaming_content) == b"Asia/Tokyo|Asia/Tokyo"  # type: ignore[attr-defined]
        assert timezone.get_current_timezone_name() == "America/Lima"
