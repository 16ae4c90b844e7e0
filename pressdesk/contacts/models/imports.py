"""Import jobs, remembered column mappings and duplicate-merge suggestions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models.contacts import Contact
from pressdesk.work.models import Claimable


class ImportJob(OrgOwned, Claimable):
    """An upload in the import wizard. `status` is the wizard's step; the claimable `state` is the
    background work of that step (the dry run while PENDING, the import while RUNNING)."""

    PENDING = "pending"
    PREVIEW = "preview"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [
        (PENDING, _("Waiting")),
        (PREVIEW, _("Preview")),
        (RUNNING, _("Importing")),
        (DONE, _("Done")),
        (FAILED, _("Failed")),
    ]

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="import_jobs")
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    source_label = models.CharField(max_length=300, blank=True)
    target_list = models.ForeignKey("contacts.ContactList", models.SET_NULL, null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    counts = models.JSONField(default=dict, blank=True)
    # Skipped rows: [{"line": 12, "field": "email", "reason": "...", "row": {...}}]
    skipped = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=now)
    finished = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    # The contacts this import created or updated: "See the contacts" lists them.
    contacts = models.ManyToManyField(Contact, blank=True, related_name="import_jobs")

    class Meta(Claimable.Meta):
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.filename


class ColumnMapping(OrgOwned):
    """A mapping the user confirmed, reused when a file with the same headers comes again."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="column_mappings")
    headers_key = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "headers_key"], name="one_mapping_per_headers")
        ]

    def __str__(self) -> str:
        return self.headers_key


class MergeSuggestion(OrgOwned):
    PENDING = "pending"
    MERGED = "merged"
    DISMISSED = "dismissed"

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="merge_suggestions")
    contact_a = models.ForeignKey(Contact, models.CASCADE, related_name="+")
    contact_b = models.ForeignKey(Contact, models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10,
        default=PENDING,
        choices=[(PENDING, _("Pending")), (MERGED, _("Merged")), (DISMISSED, _("Dismissed"))],
    )
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-score", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact_a", "contact_b"], name="one_suggestion_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_a_id} ~ {self.contact_b_id} ({self.score})"
