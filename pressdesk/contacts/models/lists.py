"""Static lists and saved segments (dynamic filters)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models.contacts import Contact


class ContactList(OrgOwned):
    STATIC = "static"
    SEGMENT = "segment"

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="contact_lists")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        default=STATIC,
        choices=[(STATIC, _("Static list")), (SEGMENT, _("Saved segment"))],
    )
    # For a segment: the filters, as the filtered-search form's cleaned query string.
    filters = models.JSONField(default=dict, blank=True)
    contacts = models.ManyToManyField(Contact, through="ListMembership", related_name="lists")
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ListMembership(models.Model):
    contact_list = models.ForeignKey(ContactList, models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="list_memberships")
    added_at = models.DateTimeField(default=now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact_list", "contact"], name="once_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} in {self.contact_list_id}"
