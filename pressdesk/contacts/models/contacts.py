"""Contacts (journalists and other press contacts), their details, timeline and provenance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.models.outlets import Outlet
from pressdesk.lib.text import normalise, normalise_email


def sort_key(*parts: str) -> str:
    """A folded sort key: accents and case do not change the order ("Émilie" among the E's)."""
    return normalise(" ".join(p for p in parts if p))[:200]


class Beat(OrgOwned):
    """A topic a journalist covers: énergie, climat, économie régionale…"""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="beats")
    name = models.CharField(_("name"), max_length=100)
    name_normalised = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = _("beat")
        verbose_name_plural = _("beats")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name_normalised"], name="one_beat_name")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=100)
    name_normalised = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name_normalised"], name="one_tag_name")
        ]

    def __str__(self) -> str:
        return self.name


class LawfulBasis(models.TextChoices):
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    CONSENT = "consent", _("Consent")


class SourceKind(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Imported file")
    REPLY = "reply", _("Email reply")
    MONITORING = "monitoring", _("Monitoring byline")
    API = "api", _("API")
    PREFERENCES = "preferences", _("The person's own preference page")
    MERGE = "merge", _("Merge of duplicates")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    SOCIAL = "social", _("Social network")
    POST = "post", _("Post")


class Contact(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        default="journalist",
        choices=[
            ("journalist", _("Journalist")),
            ("freelance", _("Freelance")),
            ("editor", _("Editor")),
            ("producer", _("Producer")),
            ("creator", _("Creator / newsletter writer")),
            ("other", _("Other press contact")),
        ],
    )
    beats = models.ManyToManyField(
        Beat, blank=True, related_name="contacts", verbose_name=_("beats")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts", verbose_name=_("tags"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    # {"mastodon": "@x@y", "bluesky": "x.bsky.social", "linkedin": "...", "x": "..."}
    social = models.JSONField(_("social handles"), default=dict, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, blank=True
    )
    # Provenance and lawfulness (GDPR/CNIL).
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_label = models.CharField(_("source detail"), max_length=300, blank=True)
    lawful_basis = models.CharField(
        _("lawful basis"),
        max_length=30,
        choices=LawfulBasis.choices,
        default=LawfulBasis.LEGITIMATE_INTEREST,
    )
    notice_sent_at = models.DateTimeField(_("information notice sent"), null=True, blank=True)
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    # The last *active* interaction (reply, click, RSVP, call, meeting): opening a mail does not
    # count.
    last_active_at = models.DateTimeField(
        _("last active contact"), null=True, blank=True, db_index=True
    )
    retention_flagged_at = models.DateTimeField(null=True, blank=True)
    # What the person said on their own preference page.
    out_of_office_until = models.DateField(_("out of office until"), null=True, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    preferred_format = models.CharField(_("preferred format"), max_length=20, blank=True)
    preference_token = models.CharField(max_length=43, blank=True, db_index=True)
    # Names, emails, outlets, beats, notes, all normalised: what quick search matches on.
    search_text = models.TextField(blank=True, editable=False)
    # Sort keys, folded so that "Émilie" sorts with the E's: kept by services.refresh_search.
    sort_name = models.CharField(max_length=200, blank=True, editable=False)
    sort_outlet = models.CharField(max_length=200, null=True, blank=True, editable=False)
    created = models.DateTimeField(default=now, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["org", "last_name", "first_name"]),
            models.Index(fields=["org", "created"]),
            # The contact list's default order; quick search walks it too (lib/search).
            models.Index(fields=["org", "sort_name", "id"], name="contact_org_sort_name"),
            models.Index(fields=["org", "sort_outlet", "sort_name"]),
            models.Index(fields=["org", "last_active_at"]),
            models.Index(fields=["org", "region"]),
            models.Index(fields=["org", "country"]),
            # Quick search sorts its matches by name through this narrow index (lib/search).
            models.Index(fields=["id", "sort_name"], name="contact_search_order"),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("(no name)"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_key(self.last_name, self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of contact, for forms and filters."""
    return list(Contact._meta.get_field("kind").choices or [])  # type: ignore[arg-type]


class ContactEmail(OrgOwned):
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="emails")
    # Copied from the contact so that duplicate and opt-out checks are one indexed lookup.
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(max_length=254, editable=False)
    label = models.CharField(_("label"), max_length=30, blank=True)
    is_primary = models.BooleanField(default=False)
    bounced_at = models.DateTimeField(null=True, blank=True)
    # The opt-out key of this address, so "who is opted out" is a join, not a hash per row.
    # Rows written in bulk may lack it: services.fill_address_hashes completes them.
    address_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "pk"]
        indexes = [
            models.Index(fields=["org", "email_normalised"]),
            models.Index(fields=["org", "address_hash"]),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.email_normalised:
            self.email_normalised = normalise_email(self.email)
        self.address_hash = address_hash(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "address_hash"}
        super().save(*args, **kwargs)


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="phones")
    raw = models.CharField(_("number as given"), max_length=50)
    e164 = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("International format")
    )
    label = models.CharField(_("label"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.e164 or self.raw


class Position(models.Model):
    """A contact's role at an outlet, over time."""

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="positions")
    outlet = models.ForeignKey(Outlet, models.CASCADE, related_name="positions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["end_date", "-start_date"]
        indexes = [models.Index(fields=["outlet", "end_date"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.outlet}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Note(models.Model):
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.text[:60]


class InteractionKind(models.TextChoices):
    EMAIL_SENT = "email_sent", _("Email sent")
    EMAIL_REPLY = "email_reply", _("Email reply")
    EMAIL_OPEN = "email_open", _("Email opened")
    CLICK = "click", _("Link clicked")
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting")
    RSVP = "rsvp", _("RSVP")
    COVERAGE = "coverage", _("Coverage")
    NOTICE = "notice", _("Information notice sent")
    OTHER = "other", _("Other")


# Interactions that show the person is still an active contact, for the 3-year retention rule.
# Opening an email is not one of them (CNIL).
ACTIVE_KINDS = frozenset(
    {
        InteractionKind.EMAIL_REPLY,
        InteractionKind.CLICK,
        InteractionKind.CALL,
        InteractionKind.MEETING,
        InteractionKind.RSVP,
    }
)


class Interaction(models.Model):
    """One entry in a contact's timeline. Later modules (mailings, events, monitoring) add to it."""

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the interaction is about, in another module: "releases.release", "42".
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class FieldChange(models.Model):
    """Provenance of every change to a contact: which field, from what to what, from where."""

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="changes")
    field = models.CharField(max_length=64)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_label = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(default=now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.source_kind}"
