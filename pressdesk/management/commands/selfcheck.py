"""`pressdesk check`: is this installation configured and running as it should?"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks as django_checks
from django.core.mail import send_mail
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.worker_status import worker_alive

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass
class Finding:
    name: str
    level: str  # ok, warning (reported, does not fail) or error (exit code 1)
    message: str


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def served_address(served_at: str | None) -> tuple[str, str] | None:
    """The address the web server answers on, and where we learnt it: the --served-at option,
    else the HOST and PORT that `pressdesk serve` reads; None when neither says."""
    if served_at:
        url = served_at if "://" in served_at else f"http://{served_at}"
        return url.rstrip("/"), "--served-at"
    host, port = os.environ.get("HOST"), os.environ.get("PORT")
    if host or port:
        return f"http://{host or '127.0.0.1'}:{port or 8000}", "HOST/PORT"
    return None


def _netloc(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or ""), (parts.port or default)


def site_root(served_at: str | None = None) -> list[Finding]:
    """SITE_ROOT, where it comes from, and whether it matches the address served."""
    site = urlsplit(settings.SITE_ROOT)
    if settings.SITE_ROOT_SOURCE == "environment":
        source = _("from the environment")
    else:
        source = _("the default: set SITE_ROOT to the address people open")
    found = []
    if site.scheme != "https" and site.hostname not in LOOPBACK:
        message = _(
            "SITE_ROOT %(url)s (%(source)s) is not HTTPS: logins would cross the network in clear."
        ) % {"url": settings.SITE_ROOT, "source": source}
        found.append(Finding("site_root", WARNING, message))
    else:
        message = _("SITE_ROOT is %(url)s (%(source)s).") % {
            "url": settings.SITE_ROOT,
            "source": source,
        }
        found.append(Finding("site_root", OK, message))
    served = served_address(served_at)
    if served is not None:
        mismatch = served_mismatch(*served)
        if mismatch is not None:
            found.append(Finding("site_root_served", WARNING, mismatch))
    return found


def served_mismatch(url: str, told_by: str) -> str | None:
    """Why SITE_ROOT disagrees with the address served, or None when it agrees."""
    site = urlsplit(settings.SITE_ROOT)
    # Behind a proxy, a public SITE_ROOT rightly differs from the local address the server
    # listens on; only an explicit --served-at is compared with it then.
    comparable = told_by == "--served-at" or site.hostname in LOOPBACK
    if not comparable or _netloc(url) == _netloc(settings.SITE_ROOT):
        return None
    return _(
        "SITE_ROOT is %(site)s but the application is served at %(served)s (%(told_by)s): "
        "links in mails and the printed address would lead elsewhere. Set SITE_ROOT."
    ) % {"site": settings.SITE_ROOT, "served": url, "told_by": told_by}


def configuration(served_at: str | None = None) -> list[Finding]:
    """DEBUG, where the secret key comes from, the public address, Django's own checks."""
    found = [
        Finding("debug", WARNING, _("DEBUG is on: never in production."))
        if settings.DEBUG
        else Finding("debug", OK, _("DEBUG is off."))
    ]
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        found.append(Finding("secret_key", OK, _("SECRET_KEY comes from the environment.")))
    else:
        # Workers on other machines sign links too (unsubscribe, RSVP): they need the same key.
        level = WARNING if settings.DATABASE_URL else OK
        message = _(
            "SECRET_KEY was generated into %(path)s. Set SECRET_KEY when several machines "
            "share the database."
        ) % {"path": settings.VAR_DIR / "secret_key"}
        found.append(Finding("secret_key", level, message))
    found += site_root(served_at)
    for check in django_checks.run_checks():
        level = ERROR if check.is_serious() else WARNING
        found.append(Finding(f"django:{check.id}", level, str(check)))
    return found


def database() -> list[Finding]:
    """Whether the database answers and has every migration applied."""
    vendor = connection.vendor
    name = str(connection.settings_dict.get("NAME", ""))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as e:
        return [
            Finding(
                "database",
                ERROR,
                _("The %(vendor)s database %(name)s does not answer: %(error)s")
                % {"vendor": vendor, "name": name, "error": e},
            )
        ]
    found = [
        Finding(
            "database",
            OK,
            _("The %(vendor)s database %(name)s answers.") % {"vendor": vendor, "name": name},
        )
    ]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        message = ngettext(
            "%(count)s migration is not applied: run `pressdesk migrate`.",
            "%(count)s migrations are not applied: run `pressdesk migrate`.",
            len(pending),
        ) % {"count": len(pending)}
        found.append(Finding("migrations", ERROR, message))
    else:
        found.append(Finding("migrations", OK, _("Every migration is applied.")))
        if worker_alive():
            found.append(Finding("worker", OK, _("A worker reported in the last minute.")))
        else:
            message = _("No worker reported in the last minute: start `pressdesk worker`.")
            found.append(Finding("worker", WARNING, message))
        found += background_work()
    return found


def background_work() -> list[Finding]:
    """Workers alive, the queue, interrupted work, and each periodic job's last and next run."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    from pressdesk.work.overview import overview

    work = overview()
    now = timezone.now()
    oldest = work.oldest_pending
    waiting = work.ready_tasks + work.pending
    found = [
        Finding(
            "workers",
            OK if work.workers else WARNING,
            ngettext("%(count)s worker alive.", "%(count)s workers alive.", len(work.workers))
            % {"count": len(work.workers)},
        ),
        Finding(
            "queue",
            OK,
            _("Queue: %(ready)s task(s) waiting, %(running)s running; oldest waiting: %(age)s.")
            % {
                "ready": work.ready_tasks,
                "running": work.running_tasks,
                "age": _("%(age)s ago") % {"age": timesince(oldest, now)} if oldest else _("none"),
            },
        ),
    ]
    if waiting and not work.workers:
        found[-1].level = WARNING
    stuck = len(work.interrupted)
    if stuck:
        message = ngettext(
            "%(count)s interrupted piece of work waits for a director's decision.",
            "%(count)s interrupted pieces of work wait for a director's decision.",
            stuck,
        ) % {"count": stuck}
        found.append(Finding("interrupted", WARNING, message))
    else:
        found.append(Finding("interrupted", OK, _("No interrupted work.")))
    for job in work.periodic:
        if job.last_run_at is None:
            last = _("never run")
        else:
            last = _("last run %(age)s ago") % {"age": timesince(job.last_run_at, now)}
            if job.last_ok is False:
                last += " (" + _("failed: %(error)s") % {"error": job.last_error[:200]} + ")"
        message = _("Periodic job %(name)s: %(last)s, next %(next)s.") % {
            "name": job.name,
            "last": last,
            "next": timezone.localtime(job.next_run_at).strftime("%Y-%m-%d %H:%M:%S"),
        }
        found.append(
            Finding(f"periodic:{job.name}", WARNING if job.last_ok is False else OK, message)
        )
    return found


def email_url() -> list[Finding]:
    """EMAIL_URL, when set: its scheme parsed, and the server reached as the engine reaches it."""
    from django.core.exceptions import ImproperlyConfigured

    from pressdesk.mailings import transport as transports

    url = getattr(settings, "EMAIL_URL", "")
    try:
        endpoint = transports.parse_url(url, timeout=min(float(settings.EMAIL_TIMEOUT or 10), 10))
    except ImproperlyConfigured as e:
        # parse_url's messages name the setting and never repeat the URL (it holds the password).
        return [Finding("mail", ERROR, str(e))]
    try:
        steps = transports.probe(endpoint)
    except transports.TransportError as e:
        error = str(e).replace(endpoint.password, "…") if endpoint.password else str(e)
        message = _("EMAIL_URL: %(server)s cannot be used: %(error)s") % {
            "server": endpoint,
            "error": error,
        }
        return [Finding("mail", ERROR, message)]
    message = _("Mail goes through %(server)s (EMAIL_URL); the server accepted %(steps)s.") % {
        "server": endpoint if not endpoint.user else f"{endpoint} ({endpoint.user})",
        "steps": ", ".join(steps),
    }
    return [Finding("mail", OK, message)]


def mail(test_address: str | None) -> list[Finding]:
    """How mail leaves, and optionally whether a test message goes."""
    if getattr(settings, "EMAIL_URL", ""):
        found = email_url()
    elif settings.EMAIL_HOST:
        found = [
            Finding(
                "mail",
                OK,
                _("Mail goes through %(host)s:%(port)s.")
                % {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT},
            )
        ]
    else:
        message = _("EMAIL_HOST is not set: messages are written to %(path)s, not sent.") % {
            "path": settings.EMAIL_FILE_PATH
        }
        found = [Finding("mail", WARNING, message)]
    if test_address:
        try:
            send_mail(
                _("Pressdesk test message"),
                _("This message was sent by `pressdesk check` at %(site)s.")
                % {"site": settings.SITE_ROOT},
                settings.DEFAULT_FROM_EMAIL,
                [test_address],
            )
        except Exception as e:  # any transport failure is the answer the operator wants
            found.append(
                Finding(
                    "test_mail",
                    ERROR,
                    _("The test message to %(address)s failed: %(error)s")
                    % {"address": test_address, "error": e},
                )
            )
        else:
            message = _("A test message went to %(address)s.") % {"address": test_address}
            found.append(Finding("test_mail", OK, message))
    return found


class Command(TranslatedCommand):
    help = gettext_lazy("Check the configuration, the database, the worker and mail.")
    # Django's system checks are reported among ours instead of stopping the command.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=gettext_lazy("Print JSON."))
        parser.add_argument(
            "--served-at",
            metavar="URL",
            help=gettext_lazy(
                "The address the web server answers on, to compare with SITE_ROOT "
                "(default: from HOST and PORT when set)."
            ),
        )
        parser.add_argument(
            "--send-test-mail",
            metavar="ADDRESS",
            help=gettext_lazy("Also send a test message to this address."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        findings = [
            *configuration(options["served_at"]),
            *database(),
            *mail(options["send_test_mail"]),
        ]
        errors = sum(1 for f in findings if f.level == ERROR)
        if options["json"]:
            report = {"ok": errors == 0, "checks": [asdict(f) for f in findings]}
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            marks = {
                OK: self.style.SUCCESS("ok  "),
                WARNING: self.style.WARNING("warn"),
                ERROR: self.style.ERROR("FAIL"),
            }
            for f in findings:
                self.stdout.write(f"{marks[f.level]}  {f.message}")
        if errors:
            raise CommandError(
                ngettext("%(count)s problem found.", "%(count)s problems found.", errors)
                % {"count": errors},
                returncode=1,
            )
