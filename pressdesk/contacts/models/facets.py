"""What the contact list's checkbox filters find a contact under, stored when the contact changes.

A contact is in a region if they are, or if an outlet they work for now is; the same goes for
countries, languages, media types and tiers. Asking that of the database at each search means a
join through positions and outlets and a UNION, which was the filtered search's whole cost. So the
answer is written here (by `contacts.facets.refresh`) whenever a contact, a position or an outlet
changes, one row per (contact, kind, value), and a filter or a facet count is an index lookup.
"""

from __future__ import annotations

from django.db import models

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models.contacts import Contact


class FacetKind(models.TextChoices):
    BEAT = "beat"  # value: the beat's id
    MEDIA_TYPE = "media_type"  # the current outlets' media types
    REGION = "region"  # the contact's own and their current outlets' regions
    COUNTRY = "country"  # ISO code, own and outlets'
    LANGUAGE = "language"  # ISO code, own and outlets'
    TIER = "tier"  # "1", "2", "3": the current outlets' tiers


class ContactFacet(OrgOwned):
    """One value a contact is found under by a checkbox filter (derived: never edited)."""

    # No index of their own: the two below lead with them, and a narrower index on contact_id
    # alone tempts PostgreSQL into reading the table for every row it counts.
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+", db_index=False)
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="facets", db_index=False)
    kind = models.CharField(max_length=16, choices=FacetKind.choices)
    value = models.CharField(max_length=100)

    class Meta:
        # Also the index that counts a set of contacts' values, read without the table.
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind", "value"], name="one_facet_value")
        ]
        indexes = [
            # Filters ("who is in Bretagne") and counts over the whole file read this one alone.
            models.Index(fields=["org", "kind", "value", "contact"], name="facet_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.kind}={self.value}"


class FacetTotal(OrgOwned):
    """A change in how many of an organisation's contacts have one value (the whole file's count).

    A value's count is the sum of its rows. Writers only add rows, in their own transaction, so
    that a long import locks no row another writer needs and a count never sees uncommitted
    changes; readers fold the rows back into one per value once they pile up
    (`contacts.facets.whole_file_counts`)."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FacetKind.choices)
    value = models.CharField(max_length=100)
    n = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.kind}={self.value} {self.n:+d}"


class FacetVersion(OrgOwned):
    """How many times an organisation's stored facet values have changed, counted after each
    commit: the key under which any process may keep counts it has taken from them."""

    org = models.OneToOneField(Organisation, models.CASCADE, related_name="+", primary_key=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.org_id} v{self.n}"
