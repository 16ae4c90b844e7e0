"""Releases' core operations: create from a template, save versions, topics, translations,
comments, boilerplates, the review chain's settings and attachments.

Views, the API and the demo call these; approval.py and embargo.py hold the state transitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.timezone import localdate, now
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.releases import approval, effects, markup
from pressdesk.releases.conventions import dateline as make_dateline
from pressdesk.releases.links import unique_slug
from pressdesk.releases.models import (
    AssetKind,
    Boilerplate,
    MediaAsset,
    Release,
    ReleaseAttachment,
    ReleaseState,
    ReleaseTemplate,
    ReleaseVersion,
    ReviewDecision,
    ReviewStep,
    Topic,
    VersionComment,
)
from pressdesk.releases.states import ReleaseError, move

# States in which the text can no longer change: withdraw-and-rewrite is the honest path.
FROZEN = (ReleaseState.PUBLISHED, ReleaseState.WITHDRAWN)
# Saving in these states voids the approval and sends the release back to draft.
BACK_TO_DRAFT = (ReleaseState.APPROVED, ReleaseState.SCHEDULED)

IMAGE_TYPES = {"jpg", "jpeg", "png", "webp", "gif"}
DOCUMENT_TYPES = {"pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "csv", "txt", "zip"}


@dataclass
class Draft:
    """The words of a release as the author typed them."""

    title: str
    subtitle: str = ""
    dateline: str = ""
    lead: str = ""
    body: str = ""


def _unique_slug(org: Organisation, title: str, exclude: int | None = None) -> str:
    return unique_slug(Release.objects.for_org(org), title, "communique", exclude)


def default_dateline(template: str, city: str = "", day: date | None = None) -> str:
    """The template's dateline for today in the organisation's zone ("Paris, le 3 mars 2027")."""
    return make_dateline(city, day or localdate(), template)


@transaction.atomic
def create_release(
    org: Organisation,
    draft: Draft,
    *,
    template: str = ReleaseTemplate.FR_FR,
    by: User | None,
    city: str = "",
    request: HttpRequest | None = None,
) -> Release:
    """A new draft release from a template, with its first version."""
    if template not in ReleaseTemplate.values:
        raise ReleaseError(_("Unknown template."))
    title = markup.set_text(draft.title, template)
    if not title:
        raise ReleaseError(_("A release needs a title."))
    release = Release.objects.for_org(org).create(
        title=title, slug=_unique_slug(org, title), template=template, created_by=by
    )
    if not draft.dateline:
        draft.dateline = default_dateline(template, city)
    save_version(release, draft, by=by, request=None)
    audit.record("release.create", org=org, actor=by, obj=release, request=request)
    release.refresh_from_db()
    return release


@transaction.atomic
def save_version(
    release: Release, draft: Draft, *, by: User | None, request: HttpRequest | None = None
) -> ReleaseVersion:
    """Save the words as a new version. A save after a review decision voids the decisions;
    after approval (or scheduling) the release goes back to draft and its actions are cancelled."""
    locked = Release.objects.for_org(release.org_id).select_for_update().get(pk=release.pk)
    if locked.state in FROZEN:
        raise ReleaseError(
            _("A published or withdrawn release cannot change: write a new one instead.")
        )
    template = locked.template
    title = markup.set_text(draft.title, template)
    if not title:
        raise ReleaseError(_("A release needs a title."))
    body_html = markup.to_html(draft.body, template)
    lead = markup.set_text(draft.lead, template)
    subtitle = markup.set_text(draft.subtitle, template)
    boilerplate = Boilerplate.objects.for_org(locked.org_id).filter(language=template).first()
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReleaseVersion.objects.create(
        release=locked,
        number=number,
        title=title,
        subtitle=subtitle,
        dateline=markup.set_text(draft.dateline, template),
        lead=lead,
        body_source=draft.body,
        body_html=body_html,
        boilerplate_html=boilerplate.text_html if boilerplate else "",
        contact_block_html=boilerplate.contact_block_html if boilerplate else "",
        char_count=markup.char_count(title, subtitle, lead, body_html),
        created_by=by,
    )
    voided = approval.void_decisions(locked)
    fields: dict[str, object] = {"current_version": version, "title": title}
    if locked.state in (ReleaseState.DRAFT, ReleaseState.IN_REVIEW):
        fields["slug"] = _unique_slug(locked.org, title, exclude=locked.pk)
    state = locked.state
    cancelled = 0
    if state in BACK_TO_DRAFT:
        cancelled = effects.cancel(locked)
        fields.update(approved_version=None, visible_from=None)
        state = ReleaseState.DRAFT
    move(locked, [locked.state], state, **fields)
    if number > 1:
        audit.record(
            "release.save",
            org=locked.org,
            actor=by,
            obj=locked,
            request=request,
            version=number,
            voided=voided,
            cancelled=cancelled,
        )
    release.refresh_from_db()
    return version


def draft_of(version: ReleaseVersion | None) -> Draft:
    """The words of a saved version, to edit them again."""
    if version is None:
        return Draft(title="")
    return Draft(
        title=version.title,
        subtitle=version.subtitle,
        dateline=version.dateline,
        lead=version.lead,
        body=version.body_source,
    )


def set_topics(release: Release, names: Iterable[str]) -> list[Topic]:
    """File the release under these topics (created as needed)."""
    topics = []
    for name in {n.strip()[:100] for n in names if n.strip()}:
        slug = slugify(name)[:100] or "sujet"
        topic, _created = Topic.objects.for_org(release.org_id).get_or_create(
            slug=slug, defaults={"name": name}
        )
        topics.append(topic)
    release.topics.set(topics)
    return topics


LANGUAGE_PAIRS = {
    ReleaseTemplate.FR_FR: ReleaseTemplate.EN,
    ReleaseTemplate.FR_CA: ReleaseTemplate.EN,
    ReleaseTemplate.EN: ReleaseTemplate.FR_FR,
}


@transaction.atomic
def link_translation(
    release: Release, other: Release | None, *, by: User | None, request: HttpRequest | None = None
) -> None:
    """Link two releases as translations of each other (FR ↔ EN), or unlink with None."""
    previous = release.translation
    if other is not None:
        if other.org_id != release.org_id or other.pk == release.pk:
            raise ReleaseError(_("Choose another release of your organisation."))
        if markup.is_french(other.template) == markup.is_french(release.template):
            raise ReleaseError(_("A translation is written in the other language."))
    scoped = Release.objects.for_org(release.org_id)
    # Whoever pointed at either of the two loses its link: a release has one translation.
    ids = [pk for pk in (release.pk, other.pk if other else None, previous and previous.pk) if pk]
    scoped.filter(translation_id__in=ids).update(translation=None)
    scoped.filter(pk=release.pk).update(translation=other)
    if other is not None:
        scoped.filter(pk=other.pk).update(translation=release)
    audit.record(
        "release.translation",
        org=release.org,
        actor=by,
        obj=release,
        request=request,
        translation=other.pk if other else None,
    )
    release.refresh_from_db()


def create_translation(
    release: Release, *, by: User | None, request: HttpRequest | None = None
) -> Release:
    """A new draft in the other language, starting from this one's words, linked to it."""
    template = LANGUAGE_PAIRS[ReleaseTemplate(release.template)]
    draft = draft_of(release.current_version)
    draft.dateline = ""
    with transaction.atomic():
        other = create_release(release.org, draft, template=template, by=by, request=request)
        link_translation(release, other, by=by, request=request)
    other.refresh_from_db()
    return other


def add_comment(version: ReleaseVersion, body: str, *, by: User) -> VersionComment:
    """A comment on one exact version."""
    body = body.strip()
    if not body:
        raise ReleaseError(_("Write a comment first."))
    return VersionComment.objects.create(version=version, author=by, body=body[:5000])


def boilerplate(org: Organisation, language: str) -> Boilerplate:
    """The organisation's "À propos" and press contact for one template (empty if not written)."""
    found = Boilerplate.objects.for_org(org).filter(language=language).first()
    return found or Boilerplate(org=org, language=language)


@transaction.atomic
def save_boilerplate(
    org: Organisation,
    language: str,
    about: str,
    contact: str,
    *,
    by: User | None,
    request: HttpRequest | None = None,
) -> Boilerplate:
    """Write the "À propos" and press contact block (Markdown) for one template; versions saved
    from now on copy them."""
    if language not in ReleaseTemplate.values:
        raise ReleaseError(_("Unknown template."))
    row, _created = Boilerplate.objects.for_org(org).update_or_create(
        language=language,
        defaults={
            "text_html": markup.to_html(about, language),
            "contact_block_html": markup.to_html(contact, language, lines=True),
        },
    )
    audit.record(
        "org.settings_change", org=org, actor=by, obj=row, request=request, part="boilerplate"
    )
    return row


@transaction.atomic
def save_review_chain(
    org: Organisation,
    steps: list[tuple[str, int | None]],
    *,
    by: User | None,
    request: HttpRequest | None = None,
) -> list[ReviewStep]:
    """Set the review chain: (label, reviewer's user id or None) in order. Rows are kept by
    position, so a release in review keeps the sign-offs of the steps that remain."""
    members = set(Membership.objects.for_org(org).values_list("user_id", flat=True))
    existing = list(ReviewStep.objects.for_org(org).order_by("position", "pk"))
    kept: list[ReviewStep] = []
    for position, (label, reviewer_id) in enumerate(steps):
        label = label.strip()[:100]
        if not label:
            continue
        if reviewer_id is not None and reviewer_id not in members:
            raise ReleaseError(_("A reviewer must be a member of the team."))
        row = existing.pop(0) if existing else ReviewStep(org=org)
        row.position, row.label, row.reviewer_id = position, label, reviewer_id
        row.save()
        kept.append(row)
    if existing:
        # Sign-offs of a removed step no longer stand: the releases in review start again
        # rather than count them against another step.
        ReviewDecision.objects.filter(step__in=existing, voided_at=None).update(
            voided_at=now(), voided_reason="chain changed"
        )
    for row in existing:
        row.delete()
    audit.record(
        "release.review_chain",
        org=org,
        actor=by,
        request=request,
        steps=[row.label for row in kept],
    )
    return kept


def attach(
    release: Release,
    upload: UploadedFile,
    *,
    by: User | None,
    caption: str = "",
    credit: str = "",
    alt_text: str = "",
    title: str = "",
) -> MediaAsset:
    """Store an uploaded image or document under an unguessable name and attach it."""
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in IMAGE_TYPES:
        kind = AssetKind.IMAGE
    elif suffix in DOCUMENT_TYPES:
        kind = AssetKind.DOCUMENT
    else:
        raise ReleaseError(
            _("This kind of file cannot be attached (images: %(images)s; documents: %(docs)s).")
            % {"images": ", ".join(sorted(IMAGE_TYPES)), "docs": ", ".join(sorted(DOCUMENT_TYPES))}
        )
    if kind == AssetKind.IMAGE and not alt_text.strip():
        raise ReleaseError(_("Describe the image for readers who cannot see it."))
    with transaction.atomic():
        asset = MediaAsset.objects.for_org(release.org_id).create(
            kind=kind,
            file=upload,
            filename=name,
            content_type=(upload.content_type or "")[:100],
            size=upload.size or 0,
            title=title.strip()[:200],
            caption=caption.strip(),
            credit=credit.strip()[:200],
            alt_text=alt_text.strip()[:300],
            created_by=by,
        )
        position = release.attachments.aggregate(n=Max("position"))["n"]
        ReleaseAttachment.objects.create(release=release, asset=asset, position=(position or 0) + 1)
    return asset


def detach(release: Release, asset_id: int) -> bool:
    """Take an image or file out of the release (the file stays for other uses)."""
    deleted, _rows = ReleaseAttachment.objects.filter(release=release, asset_id=asset_id).delete()
    return bool(deleted)


def touch(release: Release) -> None:
    """Record that the release changed without a new version (topics, attachments)."""
    Release.objects.for_org(release.org_id).filter(pk=release.pk).update(updated=now())
