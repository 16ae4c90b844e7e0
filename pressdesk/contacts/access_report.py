"""The GDPR access report (art. 15) as the person reads it: a letter in their language.

Everything the organisation holds about them, with field names and values in words: no database
ids, no internal keys, no codes. The JSON export (gdpr.access_export) keeps the raw data for
machines; this is for the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from pressdesk.contacts import gdpr, history, phones
from pressdesk.contacts.models import Contact, OptOut
from pressdesk.contacts.models.optout import OptOutReason, address_hash
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib import locales
from pressdesk.lib.typography import label_value

Rows = list[tuple[str, str]]


def report_language(contact: Contact, asked: str = "", fallback: str = "") -> str:
    """The language to write to this person in: the one asked for, else theirs, else ours."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for code in (asked, contact.preferred_language, *(contact.languages or [])):
        code = (code or "").split("-")[0].lower()
        if code in spoken:
            return code
    return fallback if fallback in spoken else settings.LANGUAGE_CODE.split("-")[0]


@dataclass
class Report:
    """The sections of the letter, every value already in words."""

    organisation: str
    about_you: Rows
    provenance: Rows
    emails: list[dict[str, str]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    positions: list[dict[str, str]] = field(default_factory=list)
    lists: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[dict[str, str]] = field(default_factory=list)
    changes: list[dict[str, str]] = field(default_factory=list)
    opted_out: bool = False


def _choice(contact: Contact, name: str) -> str:
    return str(getattr(contact, f"get_{name}_display")()) if getattr(contact, name) else ""


def build(contact: Contact) -> Report:
    """The report of one person, in the active language."""
    c = gdpr.everything_about(contact)
    formats_named = _preferred_formats()
    about: Rows = [
        (_("Name"), c.full_name),
        (_("Job title"), c.job_title),
        (_("Kind of press contact"), _choice(c, "kind")),
        (_("Beats"), ", ".join(b.name for b in c.beats.all())),
        (_("Labels our team gave you"), ", ".join(t.name for t in c.tags.all())),
        (_("Languages"), locales.language_names(c.languages)),
        (_("Country"), locales.country_name(c.country) if c.country else ""),
        (_("Region"), c.region),
        (
            _("Social networks"),
            ", ".join(
                label_value(network.capitalize(), handle)
                for network, handle in (c.social or {}).items()
            ),
        ),
        (_("How you prefer to be contacted"), _choice(c, "preferred_channel")),
        (
            _("Language you prefer"),
            locales.language_name(c.preferred_language) if c.preferred_language else "",
        ),
        (_("What you prefer to receive"), formats_named.get(c.preferred_format, "")),
        (_("Out of office until"), history.day(c.out_of_office_until)),
    ]
    provenance: Rows = [
        (_("Where your details come from"), history.origin(c.source_kind, c.source_label)),
        (_("Lawful basis"), _choice(c, "lawful_basis")),
        (_("In our press file since"), history.day(c.created)),
        (_("Last changed on"), history.day(c.updated)),
        # "Sent on: not yet" reads oddly: the label names the event, the value says when.
        (_("Information notice sent"), history.day(c.notice_sent_at) or _("not yet")),
        (_("Your details last checked"), history.day(c.last_verified_at) or _("never")),
        (_("Last exchange with you"), history.day(c.last_active_at)),
    ]
    if c.retention_flagged_at:
        provenance.append(
            (_("Due for review under the 3-year rule since"), history.day(c.retention_flagged_at))
        )
    emails = list(c.emails.all())
    entries = {
        e.address_hash: e
        for e in OptOut.objects.for_org(c.org_id).filter(
            address_hash__in=[address_hash(m.email) for m in emails]
        )
    }
    media = dict(MediaType.choices)
    return Report(
        organisation=c.org.name,
        about_you=[(label, value) for label, value in about if value],
        provenance=provenance,
        emails=[_email(m.email, m.bounced_at, entries.get(address_hash(m.email))) for m in emails],
        phones=[phones.line(p.label, p.e164, p.raw) for p in c.phones.all()],
        positions=[
            {
                "outlet": p.outlet.name,
                "media": str(media.get(p.outlet.media_type, "")),
                "title": p.title,
                "since": history.day(p.start_date),
                "until": history.day(p.end_date),
            }
            for p in c.positions.all()
        ],
        lists=[
            {"name": m.contact_list.name, "since": history.day(m.added_at)}
            for m in c.list_memberships.all()
        ],
        notes=[{"when": history.day(n.created), "text": n.text} for n in c.notes.all()],
        exchanges=[
            {
                "when": history.day(i.occurred_at),
                "what": i.get_kind_display(),
                "summary": i.summary,
            }
            for i in c.interactions.all()
        ],
        changes=[
            {
                "when": history.day(h.changed_at),
                "what": history.field_name(h.field).capitalize(),
                "before": history.value_in_words(h.field, h.old_value),
                "after": history.value_in_words(h.field, h.new_value),
                "source": history.origin(h.source_kind, h.source_label),
            }
            for h in c.changes.all()
        ],
        opted_out=bool(entries),
    )


def _email(address: str, bounced_at: Any, entry: OptOut | None) -> dict[str, str]:
    opted_out = ""
    if entry is not None:
        reason = (
            str(OptOutReason(entry.reason).label)
            if entry.reason in OptOutReason.values
            else entry.reason
        )
        opted_out = _("%(reason)s, since %(day)s") % {
            "reason": reason,
            "day": history.day(entry.created),
        }
    return {"address": address, "opted_out": opted_out, "bounced": history.day(bounced_at)}


def _preferred_formats() -> dict[str, str]:
    from pressdesk.contacts.preferences import FORMATS

    return {key: str(label) for key, label in FORMATS}
