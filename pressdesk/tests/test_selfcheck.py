from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr
from pressdesk.contacts.models import NoticeSend
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.tests.conftest import Cli
from pressdesk.work.models import PeriodicJob, WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def async_safety(monkeypatch: pytest.MonkeyPatch) -> None:
    # The browser tests turn Django's async safety off for the whole test process; `pressdesk
    # check` reports that as an error (async.E001), as it should in production.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def selfcheck(*args: str) -> dict[str, Any]:
    out = StringIO()
    with translation.override("en"):
        call_command("selfcheck", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def levels(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["level"] for c in report["checks"]}


def test_it_reports_a_healthy_installation() -> None:
    report = selfcheck()
    assert report["ok"] is True
    found = levels(report)
    assert found["database"] == "ok"
    assert found["migrations"] == "ok"
    assert found["debug"] == "ok"


def test_it_warns_without_a_worker_but_passes() -> None:
    report = selfcheck()
    assert levels(report)["worker"] == "warning"
    assert report["ok"] is True


def test_it_sees_a_live_worker() -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="press-1", pid=42)
    assert levels(selfcheck())["worker"] == "ok"


def messages(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["message"] for c in report["checks"]}


def test_it_shows_the_background_work(org: Organisation, bob: User) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="press-1", pid=42)
    WorkerHeartbeat.objects.create(worker_id="w2", hostname="press-2", pid=43)
    PeriodicJob.objects.create(
        name="accounts.prune_login_attempts",
        every_seconds=3600,
        last_run_at=timezone.now(),
        last_ok=False,
        last_error="RuntimeError: disk full",
    )
    person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import")
    gdpr.queue_notices(org, by=bob)
    NoticeSend.objects.update(state="interrupted")
    report = selfcheck()
    found, said = levels(report), messages(report)
    assert (found["workers"], said["workers"]) == ("ok", "2 workers alive.")
    assert said["queue"].startswith("Queue: 1 task(s) waiting, 0 running; oldest waiting:")
    assert found["interrupted"] == "warning"
    assert said["interrupted"] == "1 interrupted piece of work waits for a director's decision."
    job = "periodic:accounts.prune_login_attempts"
    assert found[job] == "warning"
    assert "failed: RuntimeError: disk full" in said[job]
    assert report["ok"] is True  # warnings only


def test_it_warns_when_work_waits_without_a_worker(org: Organisation, bob: User) -> None:
    person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import")
    gdpr.queue_notices(org, by=bob)
    found = levels(selfcheck())
    assert (found["workers"], found["queue"], found["interrupted"]) == ("warning", "warning", "ok")


def test_it_says_where_mail_goes(settings: Any) -> None:
    settings.EMAIL_HOST = ""
    settings.EMAIL_FILE_PATH = "/srv/pressdesk/var/mail"
    message = next(c for c in selfcheck()["checks"] if c["name"] == "mail")
    assert message["level"] == "warning"
    assert "messages are written to /srv/pressdesk/var/mail" in message["message"]
    settings.EMAIL_HOST = "smtp.example.org"
    assert levels(selfcheck())["mail"] == "ok"


def test_it_sends_a_test_message() -> None:
    report = selfcheck("--send-test-mail", "claire.moreau@example.org")
    assert levels(report)["test_mail"] == "ok"
    assert [m.to for m in mail.outbox] == [["claire.moreau@example.org"]]


def test_it_fails_when_the_test_message_fails(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5
    settings.EMAIL_USE_TLS = False
    with pytest.raises(CommandError, match="1 problem found"):
        selfcheck("--send-test-mail", "claire.moreau@example.org")


def test_it_fails_on_pending_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("selfcheck", stdout=out)
    assert raised.value.returncode == 1
    assert "1 migration is not applied: run `pressdesk migrate`." in out.getvalue()


def test_it_warns_about_debug(settings: Any) -> None:
    settings.DEBUG = True
    assert levels(selfcheck())["debug"] == "warning"


def test_it_fails_when_the_database_does_not_answer(cli: Cli) -> None:
    result = cli("check", DATABASE_URL="postgres://nobody@127.0.0.1:1/pressdesk")
    assert result.returncode == 1
    assert "does not answer" in result.stdout
    assert "1 problem found." in result.stderr


def test_it_passes_on_a_fresh_installation(cli: Cli) -> None:
    result = cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Every migration is applied." in result.stdout


def findings(*args: str) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in selfcheck(*args)["checks"]}


def test_it_says_where_site_root_comes_from(settings: Any) -> None:
    settings.SITE_ROOT_SOURCE = "default"
    assert "(the default: set SITE_ROOT" in findings()["site_root"]["message"]
    settings.SITE_ROOT_SOURCE = "environment"
    assert "(from the environment)" in findings()["site_root"]["message"]


def test_it_warns_when_site_root_is_not_the_address_served(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SITE_ROOT = "http://127.0.0.1:8000"
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert "site_root_served" not in findings()
    monkeypatch.setenv("PORT", "9000")
    served = findings()["site_root_served"]
    assert served["level"] == "warning"
    assert "served at http://127.0.0.1:9000 (HOST/PORT)" in served["message"]
    monkeypatch.setenv("PORT", "8000")
    assert "site_root_served" not in findings()


def test_it_compares_with_an_explicit_address(settings: Any) -> None:
    settings.SITE_ROOT = "https://presse.example.org"
    assert "site_root_served" not in findings("--served-at", "https://presse.example.org/")
    found = findings("--served-at", "10.0.0.5:8000")["site_root_served"]
    assert "http://10.0.0.5:8000 (--served-at)" in found["message"]


def test_a_public_site_root_behind_a_proxy_is_not_compared_with_host_and_port(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SITE_ROOT = "https://presse.example.org"
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8000")
    assert "site_root_served" not in findings()
