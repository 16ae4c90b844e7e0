"""Collected articles, each a unit of durable work through the pipeline, and byline suggestions."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models import Contact, Outlet
from pressdesk.monitoring.models.sources import Source
from pressdesk.monitoring.models.stories import Story
from pressdesk.work.models import Claimable


class Stage(models.TextChoices):
    NEW = "new", _("Waiting for the pipeline")
    DONE = "done", _("Processed")
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded after quarantine")


class Item(Claimable, OrgOwned):
    """An article found by a poll (or ingested from a file).

    Copyright-aware by default: `text` holds the full text only when the organisation declared a
    licence that allows it; otherwise only the link, headline, outlet, author, date, a short
    extract and our summary are kept. `payload` carries what the poll found (the feed's content)
    to the pipeline and is emptied once the item is processed.
    """

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="monitoring_items")
    source = models.ForeignKey(Source, models.SET_NULL, null=True, blank=True, related_name="items")
    outlet = models.ForeignKey(Outlet, models.SET_NULL, null=True, blank=True, related_name="+")
    url = models.URLField(_("URL"), max_length=2000)
    # sha1 of the URL: a unique key short enough for every database's indexes.
    url_key = models.CharField(max_length=40)
    canonical_url = models.URLField(_("canonical URL"), max_length=2000, blank=True)
    guid = models.CharField(max_length=500, blank=True)
    title = models.CharField(_("headline"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    extract = models.TextField(_("extract"), blank=True)
    text = models.TextField(_("full text"), blank=True)
    full_text_kept = models.BooleanField(default=False)
    payload = models.JSONField(default=dict, blank=True)
    # Normalised headline, summary and extract (and full text when kept): what search matches.
    search_text = models.TextField(blank=True, editable=False)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NEW)
    quarantine_reason = models.CharField(_("quarantine reason"), max_length=500, blank=True)
    story = models.ForeignKey(
        Story, models.SET_NULL, null=True, blank=True, related_name="appearances"
    )
    author_contact = models.ForeignKey(
        Contact, models.SET_NULL, null=True, blank=True, related_name="monitoring_items"
    )
    collected = models.DateTimeField(_("collected"), default=now, db_index=True)

    class Meta(Claimable.Meta):
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-collected", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "url_key"], name="one_item_per_url")]
        indexes = [
            *Claimable.Meta.indexes,
            models.Index(fields=["org", "stage"], name="monitoring_item_stage"),
            # Archive search: the articles collected since a time, below an id, from the index.
            models.Index(fields=["org", "collected", "id"], name="monitoring_item_archive"),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def link(self) -> str:
        """The address to send a reader to: the canonical one when the page declared it."""
        return self.canonical_url or self.url


class Byline(OrgOwned):
    """A byline seen at an outlet in articles that matched no journalist by full name: a
    suggestion to link it to one (or to add them to the press file)."""

    PENDING = "pending"
    LINKED = "linked"
    DISMISSED = "dismissed"

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    name_normalised = models.CharField(max_length=300)
    # CASCADE, not SET_NULL: a suggestion is a name *at an outlet*, and emptying the outlet could
    # collide with the name's no-outlet row. The articles keep their journalist either way.
    outlet = models.ForeignKey(Outlet, models.CASCADE, null=True, blank=True, related_name="+")
    articles = models.PositiveIntegerField(default=0)
    last_item = models.ForeignKey(Item, models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        max_length=10,
        default=PENDING,
        choices=[(PENDING, _("Pending")), (LINKED, _("Linked")), (DISMISSED, _("Dismissed"))],
    )
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-articles", "name"]
        # One suggestion per name *and outlet*: Le Monde's "J. Fournier" and Ouest-France's are
        # two people until someone links each. An unknown outlet counts as one more outlet; two
        # partial constraints because SQLite cannot say NULLS NOT DISTINCT.
        constraints = [
            models.UniqueConstraint(
                fields=["org", "name_normalised", "outlet"],
                condition=models.Q(outlet__isnull=False),
                name="one_byline_per_name_outlet",
            ),
            models.UniqueConstraint(
                fields=["org", "name_normalised"],
                condition=models.Q(outlet__isnull=True),
                name="one_byline_per_name_no_outlet",
            ),
        ]

    def __str__(self) -> str:
        return self.name
