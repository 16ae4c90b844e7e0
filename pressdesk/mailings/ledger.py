"""The audience of a mailing: planned (for the check page) and frozen (when sending starts).

Who is mailed, in order of the rules:
- everyone in the mailing's lists, saved segments (resolved today) and single contacts, once per
  person however many of them name the person;
- a person any of whose addresses is on the opt-out list for a personal reason (objection,
  unsubscribe, "never contact me", erasure) is left out: an objection is the person's, not one
  address's. "Never contact me" is counted apart, as the preference "never";
- else the person's first address (primary first) that has not bounced and is not on the opt-out
  list for a hard bounce; none → "bounced", no address at all → "no email";
- one message per address (case-insensitive): a second person sharing the address gets their
  next usable address, else is left out as a duplicate.

Owned by the engine work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.contacts.models import Contact, ContactEmail, ContactList, ListMembership, OptOut
from pressdesk.contacts.models.contacts import Channel
from pressdesk.contacts.models.optout import OptOutReason, address_hash
from pressdesk.lib.text import normalise_email
from pressdesk.mailings.models import Exclusion, Mailing, Recipient
from pressdesk.mailings.models.ledger import ExclusionReason

# Rows written per INSERT when freezing, and ids per IN (…) when reading the press file.
WRITE_BATCH = 5000
READ_CHUNK = 5000
SAMPLE = 5
# Opt-outs that speak for the address only (a dead mailbox), not for the person.
ADDRESS_ONLY = {OptOutReason.HARD_BOUNCE.value}
NEVER = {OptOutReason.NEVER_CONTACT.value}


@dataclass
class AudiencePlan:
    """Who a mailing would reach right now, and who is left out and why."""

    recipients: int = 0  # after deduplication by address and by person
    excluded: dict[str, int] = field(default_factory=dict)  # ExclusionReason value → count
    duplicates: int = 0  # people or addresses reached through several lists, counted once
    warnings: list[str] = field(default_factory=list)  # in the reader's language
    sample: list[int] = field(default_factory=list)  # a few contact ids, for previews


@dataclass
class _Chosen:
    contact_id: int
    address: str
    key: str
    name: str


@dataclass
class _Audience:
    chosen: list[_Chosen]
    excluded: list[tuple[int, str]]  # (contact id, ExclusionReason)
    duplicates: int
    other_channel: int  # people who said they prefer another channel than email
    away: int  # people out of office on the day of the plan


def _source_ids(mailing: Mailing) -> list[set[int]]:
    """The contact ids each source of the audience names today (one set per source)."""
    from pressdesk.contacts.filters import segment_contacts

    org = mailing.org_id
    sources: list[set[int]] = []
    lists = list(ContactList.objects.for_org(org).filter(mailings=mailing))
    static = [cl.pk for cl in lists if cl.kind == ContactList.STATIC]
    for list_id in static:
        members = ListMembership.objects.filter(
            contact_list_id=list_id, contact__org_id=org
        ).values_list("contact_id", flat=True)
        sources.append(set(members))
    for segment in lists:
        if segment.kind == ContactList.SEGMENT:
            found = segment_contacts(segment).order_by().values_list("pk", flat=True)
            sources.append(set(found))
    singles = Contact.objects.for_org(org).filter(pk__in=mailing.contacts.values("pk"))
    sources.append(set(singles.values_list("pk", flat=True)))
    return sources


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), READ_CHUNK):
        yield ids[start : start + READ_CHUNK]


def _resolve(mailing: Mailing) -> _Audience:
    """Apply the rules of the module docstring to today's press file."""
    org = mailing.org_id
    sources = _source_ids(mailing)
    ids: set[int] = set().union(*sources)
    duplicates = sum(len(s) for s in sources) - len(ids)
    ordered = sorted(ids)
    optouts = dict(OptOut.objects.for_org(org).values_list("address_hash", "reason"))
    names: dict[int, str] = {}
    other_channel = away = 0
    today = timezone.localdate()
    emails: dict[int, list[tuple[str, str, bool, str]]] = {}
    for chunk in _chunks(ordered):
        people = Contact.objects.for_org(org).filter(pk__in=chunk)
        for pk, first, last, channel, away_until in people.values_list(
            "pk", "first_name", "last_name", "preferred_channel", "out_of_office_until"
        ):
            names[pk] = f"{first} {last}".strip()
            if channel and channel != Channel.EMAIL:
                other_channel += 1
            if away_until is not None and away_until >= today:
                away += 1
        rows = (
            ContactEmail.objects.for_org(org)
            .filter(contact_id__in=chunk)
            .order_by("contact_id", "-is_primary", "pk")
            .values_list("contact_id", "email", "address_hash", "bounced_at")
        )
        for contact_id, email, hashed, bounced_at in rows:
            emails.setdefault(contact_id, []).append(
                (email.strip(), hashed or address_hash(email), bounced_at is not None, "")
            )

    chosen: list[_Chosen] = []
    excluded: list[tuple[int, str]] = []
    taken: set[str] = set()
    for pk in ordered:
        if pk not in names:  # deleted since the source was read
            continue
        addresses = emails.get(pk, [])
        reasons = {optouts[h] for _e, h, _b, _x in addresses if h in optouts}
        personal = reasons - ADDRESS_ONLY
        if personal:
            excluded.append(
                (pk, ExclusionReason.NEVER if personal & NEVER else ExclusionReason.OPTED_OUT)
            )
            continue
        if not addresses:
            excluded.append((pk, ExclusionReason.NO_EMAIL))
            continue
        usable = [e for e, h, bounced, _x in addresses if not bounced and h not in optouts]
        if not usable:
            excluded.append((pk, ExclusionReason.BOUNCED))
            continue
        free = [e for e in usable if normalise_email(e) not in taken]
        if not free:
            excluded.append((pk, ExclusionReason.DUPLICATE))
            duplicates += 1
            continue
        key = normalise_email(free[0])
        taken.add(key)
        chosen.append(_Chosen(pk, free[0][:254], key[:254], names[pk][:200]))
    return _Audience(chosen, excluded, duplicates, other_channel, away)


def _warnings(mailing: Mailing, audience: _Audience) -> list[str]:
    """What the sender should know before pressing send, in the reader's language."""
    found: list[str] = []
    if not audience.chosen:
        found.append(_("Nobody would receive this mailing."))
    if audience.other_channel:
        found.append(
            ngettext(
                "%(count)s person prefers to be reached otherwise than by email.",
                "%(count)s people prefer to be reached otherwise than by email.",
                audience.other_channel,
            )
            % {"count": audience.other_channel}
        )
    if audience.away:
        found.append(
            ngettext(
                "%(count)s person is out of office today.",
                "%(count)s people are out of office today.",
                audience.away,
            )
            % {"count": audience.away}
        )
    release = mailing.release
    if release is not None:
        if release.embargo_until and release.embargo_until > timezone.now():
            when = formats.date_format(timezone.localtime(release.embargo_until), "DATETIME_FORMAT")
            found.append(
                _("The release is under embargo until %(when)s: the mail will say so.")
                % {"when": when}
            )
        from pressdesk.mailings.services import release_approved

        if not release_approved(release):
            found.append(_("The release is not approved: it cannot be sent yet."))
    if mailing.scheduled_for and mailing.scheduled_for < timezone.now() - timedelta(minutes=1):
        found.append(_("The scheduled time has passed."))
    return found


def plan(mailing: Mailing) -> AudiencePlan:
    """Resolve the audience without writing anything."""
    audience = _resolve(mailing)
    excluded: dict[str, int] = {}
    for _pk, reason in audience.excluded:
        excluded[str(reason)] = excluded.get(str(reason), 0) + 1
    return AudiencePlan(
        recipients=len(audience.chosen),
        excluded=excluded,
        duplicates=audience.duplicates,
        warnings=_warnings(mailing, audience),
        sample=[c.contact_id for c in audience.chosen[:SAMPLE]],
    )


def _insert_recipients(org_id: int, mailing_id: int, chosen: list[_Chosen]) -> None:
    """Write the ledger rows: COPY on PostgreSQL, executemany on SQLite.

    bulk_create spends more time building one huge statement per 40 rows (SQLite's parameter
    cap) than the database spends writing them; on PostgreSQL each row of an executemany is still
    a statement the server parses and plans, which COPY is not.
    """
    fields = [f for f in Recipient._meta.concrete_fields if not f.primary_key]
    template = Recipient(org_id=org_id, mailing_id=mailing_id)  # defaults, queued_at = now
    fixed = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    varying = {"contact_id": 0, "address": 1, "address_key": 2, "name": 3}
    where = [varying.get(f.attname) for f in fields]
    quote = connection.ops.quote_name
    table = quote(Recipient._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)

    def rows(part: list[_Chosen]) -> list[list[Any]]:
        return [
            [fixed[i] if at is None else own[at] for i, at in enumerate(where)]
            for own in ((c.contact_id, c.address, c.key, c.name) for c in part)
        ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only the model's own table and column names are interpolated.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(chosen), WRITE_BATCH):
                    for row in rows(chosen[start : start + WRITE_BATCH]):
                        copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(chosen), WRITE_BATCH):
            cursor.executemany(sql, rows(chosen[start : start + WRITE_BATCH]))


def freeze(mailing: Mailing) -> int:
    """Write the ledger (Recipient rows) and Exclusion rows once; return the recipient count.

    The first caller wins a conditional UPDATE on `frozen_at` and writes the rows in the same
    transaction; a second caller (a double click, two workers, a retry) writes nothing.
    """
    org = mailing.org_id
    with transaction.atomic():
        won = (
            Mailing.objects.for_org(org)
            .filter(pk=mailing.pk, frozen_at__isnull=True)
            .update(frozen_at=timezone.now())
        )
        if won:
            audience = _resolve(mailing)
            _insert_recipients(org, mailing.pk, audience.chosen)
            Exclusion.objects.for_org(org).bulk_create(
                (
                    Exclusion(org_id=org, mailing_id=mailing.pk, contact_id=pk, reason=reason)
                    for pk, reason in audience.excluded
                ),
                batch_size=WRITE_BATCH,
            )
    mailing.frozen_at = (
        Mailing.objects.for_org(org).filter(pk=mailing.pk).values_list("frozen_at", flat=True).get()
    )
    return Recipient.objects.for_org(org).filter(mailing=mailing).count()
