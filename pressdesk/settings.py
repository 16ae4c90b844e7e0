"""Pressdesk settings, driven by environment variables. The defaults run straight after a clone."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from pressdesk.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("PRESSDESK_VAR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read SECRET_KEY from the environment, or from a key generated once into ./var/."""
    key = envstr("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")
# `pressdesk check` says which: "environment" (SITE_ROOT or SITE_ROOT_FILE) or "default".
SITE_ROOT_SOURCE = "environment" if envstr("SITE_ROOT") else "default"
SITE_NAME = envstr("SITE_NAME", "Pressdesk")
_site = urlsplit(SITE_ROOT)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", f"{_site.hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", f"{_site.scheme}://{_site.netloc}")

# Behind HTTPS, every cookie is secure and browsers are told to stay on HTTPS.
_https = _site.scheme == "https"
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Only these proxies' X-Forwarded-For is believed when finding a client's address.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    # Our apps come first: for a phrase both translate, the first app's translation wins, and our
    # French wording must win over Django's own ("Se connecter", not "Connexion").
    "pressdesk",
    "pressdesk.work",
    "pressdesk.accounts",
    "pressdesk.contacts",
    "pressdesk.releases",
    "pressdesk.monitoring",
    "pressdesk.mailings",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
]

# Modules can be left out (PRESSDESK_WITHOUT_APPS=pressdesk.contacts): the core runs without
# them, which pressdesk/tests/test_modules_removable.py proves.
_without = set(envlist("PRESSDESK_WITHOUT_APPS", ""))
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in _without]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pressdesk.middleware.ResetTimeZoneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pressdesk.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pressdesk.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "pressdesk.urls"
WSGI_APPLICATION = "pressdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pressdesk.context_processors.shell",
            ],
        },
    }
]

# SQLite by default; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DATABASE_NAME", "test_pressdesk")}
        # JIT compiling costs more than it saves on our short queries (docs/benchmarks.md).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "pressdesk.sqlite3"),
            # WAL, a busy timeout and IMMEDIATE transactions: without them the web process and the
            # worker side by side give intermittent "database is locked" errors.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["pressdesk.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 3600
SESSION_COOKIE_AGE = 14 * 24 * 3600

# Login throttling: this many failures per account and client address within the window.
LOGIN_FAILURES_ALLOWED = envint("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", 15 * 60)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pressdesk" / "locale"]
USE_I18N = True
TIME_ZONE = envstr("TIME_ZONE", "Europe/Paris")
USE_TZ = True
FORMAT_MODULE_PATH = ["pressdesk.formats"]

# Request bodies: form fields and API bodies past DATA_UPLOAD_MAX_MEMORY_SIZE are refused (400);
# an uploaded file is stopped while it streams in once past FILE_UPLOAD_MAX_BYTES, before it
# reaches the disk (lib/uploads.py). The reverse proxy should have the same ceiling
# (nginx: client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_BYTES = envint("FILE_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "pressdesk.lib.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))

# Mail. Without EMAIL_HOST, messages are written to ./var/mail/ and `pressdesk check` says so.
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Pressdesk <pressdesk@localhost>")
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
# Replies and bounces of mailings: imap://user:pass@host:port/INBOX (imaps:// for TLS), read
# every REPLIES_IMAP_EVERY seconds; recorded messages are marked read, or moved to this folder.
REPLIES_IMAP_URL = envstr("REPLIES_IMAP_URL")
REPLIES_IMAP_EVERY = envint("REPLIES_IMAP_EVERY", 120)
REPLIES_IMAP_PROCESSED = envstr("REPLIES_IMAP_PROCESSED")
# Or Mailgun's webhooks through django-anymail (docs/decisions/0003-mail-webhooks.md): off
# unless switched on, and then only with both secrets.
MAILGUN_WEBHOOKS = envbool("MAILGUN_WEBHOOKS", False)
ANYMAIL = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": envstr("MAILGUN_WEBHOOK_SIGNING_KEY"),
    "WEBHOOK_SECRET": envstr("ANYMAIL_WEBHOOK_SECRET"),
}
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Mailings (pressdesk/mailings/transport.py, sending.py): EMAIL_URL (smtp://, smtp+tls://,
# smtp+ssl://) takes precedence over EMAIL_HOST for the engine's sends. Rates of 0 mean no limit.
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    # System mail (invitations, password resets, alerts) through the engine's transport too:
    # one SMTP configuration for all the mail that leaves Pressdesk.
    EMAIL_BACKEND = "pressdesk.mailings.backend.EmailBackend"
MAILINGS_RATE_PER_SECOND = float(envstr("MAILINGS_RATE_PER_SECOND", "0"))
MAILINGS_RATE_PER_MINUTE = float(envstr("MAILINGS_RATE_PER_MINUTE", "0"))
MAILINGS_PAUSE_AFTER_FAILURES = envint("MAILINGS_PAUSE_AFTER_FAILURES", 5)
MAILINGS_BACKOFF_SECONDS = float(envstr("MAILINGS_BACKOFF_SECONDS", "5"))
MAILINGS_HOLD_AFTER_SECONDS = envint("MAILINGS_HOLD_AFTER_SECONDS", 15 * 60)
MAILINGS_RETURN_PATH = envstr("MAILINGS_RETURN_PATH")

# Background work runs through Django's task API on the database. The mode is explicit: no
# silent fallback to running tasks inline.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_ALIVE_SECONDS = 60
# Durable work (docs/decisions/0002-durable-work.md). A claim lasts WORK_LEASE_SECONDS unless its
# worker's heartbeat (every WORK_HEARTBEAT_SECONDS) renews it; each worker sweeps expired claims,
# unwoken rows and lost tasks every WORK_SWEEP_SECONDS.
WORK_LEASE_SECONDS = float(envstr("WORK_LEASE_SECONDS", "60"))
WORK_HEARTBEAT_SECONDS = float(envstr("WORK_HEARTBEAT_SECONDS", "10"))
WORK_SWEEP_SECONDS = float(envstr("WORK_SWEEP_SECONDS", "60"))
# A periodic job's run stops after this many seconds unless the job sets its own limit.
PERIODIC_TIME_LIMIT = float(envstr("PERIODIC_TIME_LIMIT", "600"))
# Operators' interval overrides: "contacts.retention_flag_stale=43200,other.job=60".
PERIODIC_EVERY = {
    name.strip(): float(seconds)
    for name, _sep, seconds in (item.partition("=") for item in envlist("PERIODIC_EVERY"))
    if name.strip() and seconds.strip()
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"pressdesk": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")}},
}
