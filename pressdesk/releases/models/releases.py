"""Releases (communiqués), their saved versions, the review chain and its decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.lib.text import search_text

if TYPE_CHECKING:
    from pressdesk.releases.models.ideas import StoryIdea  # noqa: F401


class ReleaseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReleaseTemplate(models.TextChoices):
    """The house conventions a release follows (dateline, closing mark, typography)."""

    FR_FR = "fr-FR", _("French (France)")
    FR_CA = "fr-CA", _("French (Canada)")
    EN = "en", _("English")


# The states in which a release may be public once its instant has come.
RELEASED_STATES = (ReleaseState.SCHEDULED, ReleaseState.PUBLISHED)


def public_q(at: datetime | None = None, prefix: str = "") -> Q:
    """The condition for a release to be public at `at`: computed from the instant on every read,
    never from a flag a worker flips (a late worker can neither publish early nor hold back).

    Use it in every query that serves readers: `Release.objects.for_org(org).filter(public_q())`.
    """
    at = at or now()
    return Q(
        **{
            f"{prefix}state__in": RELEASED_STATES,
            f"{prefix}visible_from__isnull": False,
            f"{prefix}visible_from__lte": at,
        }
    )


class Topic(OrgOwned):
    """A subject the newsroom files releases under (énergie, recrutement, résultats…)."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="release_topics")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "slug"], name="one_topic_slug")]

    def __str__(self) -> str:
        return self.name


class Release(OrgOwned):
    """A press release. Its words live in its versions; the row holds its state and instants."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="releases")
    title = models.CharField(_("title"), max_length=300)  # the current version's, for lists
    # The public address: /newsroom/<org>/<slug>/; fixed once the release has been public.
    slug = models.SlugField(_("address"), max_length=120)
    template = models.CharField(
        _("template"), max_length=8, choices=ReleaseTemplate.choices, default=ReleaseTemplate.FR_FR
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReleaseState.choices, default=ReleaseState.DRAFT
    )
    current_version = models.ForeignKey(
        "releases.ReleaseVersion", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The exact version the approval chain signed off; any later edit voids it.
    approved_version = models.ForeignKey(
        "releases.ReleaseVersion", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The embargo as an instant (entered in the organisation's time zone, stored in UTC); null
    # when the release goes out as soon as it is published.
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    # The instant from which the release is public: the embargo's end, or the moment a director
    # published it. Null while it is not scheduled or published.
    visible_from = models.DateTimeField(null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="releases")
    # The same news in the other language (FR ↔ EN); kept symmetric by the service that links.
    translation = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idea = models.ForeignKey(
        "releases.StoryIdea", models.SET_NULL, null=True, blank=True, related_name="releases"
    )
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    updated = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["org", "slug"], name="one_release_slug")]
        indexes = [
            models.Index(fields=["org", "state", "visible_from"], name="release_public"),
            # The newsroom's order (newest first, then id): read backwards, a page is the first
            # rows of this index, however many releases there are.
            models.Index(fields=["org", "visible_from", "id"], name="release_newsroom_order"),
            # The newsroom's "last changed" (conditional GETs, cache keys): one index seek.
            models.Index(fields=["org", "updated"], name="release_last_change"),
            # "Has the newsroom a public release in English?": one seek per template; and how
            # many there are (a list's pages) from this index alone, without reading the rows.
            models.Index(
                fields=["org", "template", "state", "visible_from"], name="release_language_public"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_public(self, at: datetime | None = None) -> bool:
        """Whether anyone may see the release at `at`, by the same rule as `public()`."""
        at = at or now()
        return (
            self.state in RELEASED_STATES
            and self.visible_from is not None
            and self.visible_from <= at
        )


class ReleaseVersion(models.Model):
    """One saved state of a release's text. Versions are never changed or deleted."""

    release = models.ForeignKey(Release, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    dateline = models.CharField(_("dateline"), max_length=200, blank=True)  # "Paris, le 3 mars…"
    lead = models.TextField(_("lead"), blank=True)  # the chapeau
    # What the author wrote (Markdown) and what is shown: sanitised HTML (nh3), with French
    # typography applied for French templates.
    body_source = models.TextField(_("body"), blank=True)
    body_html = models.TextField(blank=True)
    boilerplate_html = models.TextField(_("about"), blank=True)  # "À propos", copied at save
    contact_block_html = models.TextField(_("press contact"), blank=True)
    char_count = models.PositiveIntegerField(default=0)
    # The words the newsroom's search matches (pressdesk.lib.text.search_text of the title,
    # subtitle, lead and body), indexed by pressdesk.lib.search (newsroom_search.VERSIONS).
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["release", "number"]
        constraints = [
            models.UniqueConstraint(fields=["release", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.release} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with the search words of the text (a version never changes once saved)."""
        if not self.search_text:
            self.search_text = version_search_text(self)
        super().save(*args, **kwargs)


def version_search_text(version: ReleaseVersion) -> str:
    """The words of a version the newsroom's search matches: title, subtitle, lead and body."""
    body = version.body_source or strip_tags(version.body_html or "")
    return search_text(version.title, version.subtitle, version.lead, body)


class ReviewStep(OrgOwned):
    """One step of the organisation's review chain: "Service presse", "Juridique", "Direction".

    Steps are signed in order; the last sign-off makes the release approved and needs the
    `approve` permission, whoever the step names.
    """

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="review_steps")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("name"), max_length=100)
    # Who signs this step; null means any member with the `approve` permission.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["org", "position"]

    def __str__(self) -> str:
        return self.label


class ReviewDecision(models.Model):
    """A reviewer's decision on one exact version; voided (not deleted) by a later edit."""

    APPROVED = "approved"
    CHANGES = "changes"
    DECISIONS = [(APPROVED, _("Approved")), (CHANGES, _("Changes requested"))]

    release = models.ForeignKey(Release, models.CASCADE, related_name="decisions")
    version = models.ForeignKey(ReleaseVersion, models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ReviewStep, models.SET_NULL, null=True, blank=True, related_name="+")
    step_label = models.CharField(max_length=100, blank=True)  # kept if the step is renamed
    decision = models.CharField(max_length=10, choices=DECISIONS)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=now)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step_label}: {self.decision}"


class VersionComment(models.Model):
    """A comment on one version of a release, from the author or a reviewer."""

    version = models.ForeignKey(ReleaseVersion, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Boilerplate(OrgOwned):
    """The organisation's "À propos" paragraph, written once per language and reused."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="boilerplates")
    language = models.CharField(_("language"), max_length=8, choices=ReleaseTemplate.choices)
    text_html = models.TextField(_("about"), blank=True)
    contact_block_html = models.TextField(_("press contact"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "language"], name="one_boilerplate_language")
        ]
