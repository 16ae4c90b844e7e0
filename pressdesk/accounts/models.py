"""Users, organisations, memberships, invitations, API tokens, the audit log and worker liveness."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.roles import Role
from pressdesk.accounts.scoping import OrgOwned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


def token_hash(raw: str) -> str:
    """The stored form of a secret token: we keep only its SHA-256."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create a user who logs in with this email."""
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create an installation administrator (Django admin access)."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("interface language"),
        max_length=8,
        blank=True,
        choices=[("", _("Browser's language")), ("fr", "Français"), ("en", "English")],
    )
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(default=False)
    # The time step of the last code accepted: a code is good once, even within its window.
    totp_last_step = models.BigIntegerField(default=0)
    is_staff = models.BooleanField(_("installation administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", choices=TIMEZONE_CHOICES
    )
    language = models.CharField(
        _("default language"),
        max_length=8,
        default="fr",
        choices=[("fr", "Français"), ("en", "English")],
    )
    # The sender's identity printed at the foot of every mailing and GDPR mail (LCEN art. 20,
    # CAN-SPAM's "valid physical postal address"): empty until a director fills it in.
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("The organisation's registered name, if it differs from its name."),
    )
    postal_address = models.TextField(
        _("postal address"),
        max_length=500,
        blank=True,
        help_text=_("Printed at the foot of every mail sent to contacts."),
    )
    created = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def identity_lines(self) -> list[str]:
        """The sender's legal identity for the foot of a mail: the legal name, then the postal
        address, one line each (empty when neither is set)."""
        lines = [self.legal_name, *self.postal_address.splitlines()]
        return [" ".join(line.split()) for line in lines if line.strip()]


class Membership(OrgOwned):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    created = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "org"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.org} ({self.get_role_display()})"


class Invitation(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    VALID_FOR = timedelta(days=14)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.email} → {self.org}"

    @property
    def is_usable(self) -> bool:
        """Not yet accepted, not revoked and not expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and now() < self.created + self.VALID_FOR
        )


class ApiToken(models.Model):
    """A token that acts for one member in one organisation. Only its hash is stored."""

    membership = models.ForeignKey(Membership, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        """A fresh raw key, shown to its owner once."""
        return "pd_" + secrets.token_urlsafe(32)


class LoginAttempt(models.Model):
    """One failed login, kept for throttling."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=now, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} from {self.ip}"


# What each audit action is called on screen; the code stays in the row for filters and the API.
AUDIT_ACTIONS: dict[str, StrOrPromise] = {
    "login.failure": _("Failed login"),
    "login.throttled": _("Login refused: too many failures"),
    "login.totp_failure": _("Wrong two-factor code"),
    "auth.totp_enable": _("Two-factor authentication turned on"),
    "auth.totp_disable": _("Two-factor authentication turned off"),
    "auth.password_reset": _("Password reset"),
    "auth.password_reset_cli": _("Password reset from the command line"),
    "api.token_create": _("API token created"),
    "api.token_revoke": _("API token revoked"),
    "org.create": _("Organisation created"),
    "org.settings_change": _("Settings changed"),
    "team.invite": _("Colleague invited"),
    "team.invite_revoke": _("Invitation revoked"),
    "team.join": _("Invitation accepted"),
    "team.add": _("Member added"),
    "team.role_change": _("Role changed"),
    "team.remove": _("Member removed"),
    "demo.load": _("Demo data loaded"),
    "backup.create": _("Backup made"),
    "backup.restore": _("Backup restored"),
    "contacts.import": _("Contacts imported"),
    "contacts.export": _("Contacts exported"),
    "monitoring.archive_export": _("Press archive exported"),
    "contacts.merge": _("Duplicates merged"),
    "contacts.tag": _("Contacts tagged"),
    "tag.rename": _("Tag renamed"),
    "tag.merge": _("Tags merged"),
    "tag.delete": _("Tag deleted"),
    "contact.delete": _("Contact deleted"),
    "contact.erase": _("Contact erased (GDPR)"),
    "contact.access_export": _("Access request exported (GDPR)"),
    "contact.notice_sent": _("Information notice sent"),
    "contact.retention_check": _("Retention check"),
    "contact.retention_reask": _("Consent asked again"),
    "optout.add": _("Address added to the opt-out list"),
    "optout.add_by_person": _("Opted out by the person"),
    "optout.lift_by_person": _("Opt-out lifted by the person"),
    "work.retry": _("Interrupted work retried"),
    "work.abandon": _("Interrupted work abandoned"),
}


class AuditEntry(OrgOwned):
    """One security-relevant action. Append-only: the application never updates or deletes rows,
    and database triggers refuse it too."""

    created = models.DateTimeField(default=now, db_index=True)
    # Login failures and the like belong to no organisation.
    org = models.ForeignKey(  # type: ignore[assignment]
        Organisation, models.DO_NOTHING, null=True, blank=True, db_constraint=False
    )
    actor = models.ForeignKey(User, models.DO_NOTHING, null=True, blank=True, db_constraint=False)
    # Kept as text too, so the entry still says who acted after the user is gone.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["org", "-created"])]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only")

    @property
    def action_label(self) -> str:
        """The action in words, in the reader's language; unknown codes show as they are."""
        return str(AUDIT_ACTIONS.get(self.action, self.action))
