"""The audit log in words: who acted, and what on, as the team reads it.

Every page that names the person behind an action (the audit log, the dashboard, a contact's
notes and history) goes through `actor_name`, so that one person reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.models import AUDIT_ACTIONS, AuditEntry, User
from pressdesk.accounts.roles import Role
from pressdesk.lib.text import fold

# How the file formats are called on screen.
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "vcard": "vCard", "vcf": "vCard"}


def actor_name(who: AuditEntry | User | None) -> tuple[str, str]:
    """(name to show, what a tooltip adds) for a user or an audit entry's actor."""
    if isinstance(who, AuditEntry):
        if who.actor_id is not None and who.actor is not None:
            return actor_name(who.actor)
        return _label_in_words(who.actor_label)
    if who is None:
        return "—", ""
    return who.full_name or who.email, who.email


def _label_in_words(label: str) -> tuple[str, str]:
    """Who acted when no account did: the worker, the command line, the person themselves."""
    if not label:
        return "Pressdesk", ""
    if label == "worker":
        return _("Background worker"), ""
    if label.startswith("cli:"):
        return _("Command line (%(account)s)") % {"account": label[4:]}, ""
    if label.startswith("person:"):
        return _("The person, through their own link"), ""
    return label, ""


def _quoted(name: str) -> str:
    return _("“%(name)s”") % {"name": name}


def _file(data: dict[str, Any]) -> str:
    """“contacts.csv” (CSV), or what of it is known."""
    name = str(data.get("file") or "")
    file_format = FORMAT_NAMES.get(str(data.get("format") or ""), str(data.get("format") or ""))
    if name and file_format:
        return _("%(file)s (%(format)s)") % {"file": _quoted(name), "format": file_format}
    return _quoted(name) if name else file_format


def _import(data: dict[str, Any]) -> str:
    counts = data.get("counts") or {}
    rows = int(counts.get("rows", 0))
    parts = [ngettext("%(n)s row", "%(n)s rows", rows) % {"n": rows}]
    if data.get("rolled_back"):
        parts.append(_("nothing imported (errors, all or nothing)"))
    else:
        added = int(counts.get("created", 0))
        updated = int(counts.get("updated", 0)) + int(counts.get("merged", 0))
        skipped = int(counts.get("skipped", 0))
        parts.append(ngettext("%(n)s contact added", "%(n)s contacts added", added) % {"n": added})
        if updated:
            parts.append(ngettext("%(n)s updated", "%(n)s updated", updated) % {"n": updated})
        if skipped:
            parts.append(
                ngettext("%(n)s row skipped", "%(n)s rows skipped", skipped) % {"n": skipped}
            )
        if data.get("list"):
            parts.append(_("into the list %(name)s") % {"name": _quoted(str(data["list"]))})
    return _("%(file)s: %(details)s") % {"file": _file(data), "details": ", ".join(parts)}


def _export(data: dict[str, Any]) -> str:
    count = int(data.get("count") or 0)
    scope = str(data.get("scope") or "all")
    whole = _("the whole press file") if scope == "all" else _quoted(scope)
    details = ngettext("%(n)s contact", "%(n)s contacts", count) % {"n": count} + ", " + whole
    described = _file(data)
    return (
        _("%(file)s: %(details)s") % {"file": described, "details": details}
        if described
        else details
    )


def _role(code: object) -> str:
    """A role in words; a code the application no longer knows shows as it is."""
    return str(Role(code).label) if code in Role.values else str(code or "")


# The labels the team services store: "email → organisation" for an invitation, "person @
# organisation (role)" for a membership. In the organisation's own log, only the first part says
# anything, and the stored role was put in words in whatever language the server spoke.
def _invited(entry: AuditEntry) -> str:
    email = entry.object_label.split(" → ")[0]
    role = (entry.data or {}).get("role")
    return (
        _("%(person)s, role: %(role)s") % {"person": email, "role": _role(role)} if role else email
    )


def _member(entry: AuditEntry) -> str:
    person = entry.object_label.split(" @ ")[0]
    data = entry.data or {}
    if entry.action == "team.role_change" and data.get("old") and data.get("new"):
        return _("%(person)s: %(old)s → %(new)s") % {
            "person": person,
            "old": _role(data["old"]),
            "new": _role(data["new"]),
        }
    if data.get("role"):
        return _("%(person)s, role: %(role)s") % {"person": person, "role": _role(data["role"])}
    return person


def _token(entry: AuditEntry) -> str:
    name = (entry.data or {}).get("name") or entry.object_label.split(" (")[0]
    return _quoted(str(name)) if name else ""


def _tag(entry: AuditEntry) -> str:
    """Which tag, and how many contacts it touched."""
    data = entry.data or {}
    count = int(data.get("count") or 0)
    contacts = ngettext("%(n)s contact", "%(n)s contacts", count) % {"n": count}
    if entry.action == "tag.rename" and data.get("old"):
        name = _("%(old)s → %(new)s") % {
            "old": _quoted(str(data["old"])),
            "new": _quoted(str(data.get("new", ""))),
        }
    elif entry.action == "tag.merge" and data.get("merged"):
        name = _("%(merged)s into %(into)s") % {
            "merged": _quoted(str(data["merged"])),
            "into": _quoted(str(data.get("into", ""))),
        }
    else:
        name = _quoted(str(data.get("tag") or entry.object_label))
    return _("%(file)s: %(details)s") % {"file": name, "details": contacts}


_DESCRIBERS: dict[str, Callable[[AuditEntry], str]] = {
    "contacts.tag": _tag,
    "tag.rename": _tag,
    "tag.merge": _tag,
    "tag.delete": _tag,
    "contacts.import": lambda entry: _import(entry.data or {}),
    "contacts.export": lambda entry: _export(entry.data or {}),
    "team.invite": _invited,
    "team.invite_revoke": _invited,
    "team.join": _member,
    "team.add": _member,
    "team.role_change": _member,
    "team.remove": _member,
    "api.token_create": _token,
    "api.token_revoke": _token,
}


def what(entry: AuditEntry) -> str:
    """What the action was about, in words: the file, the count and the format for an import or
    an export, who and which role for the team's changes; the object's name otherwise."""
    describe = _DESCRIBERS.get(entry.action)
    described = describe(entry) if describe is not None else ""
    return described or entry.object_label


def action_choices(seen: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Every action in words, in alphabetical order, for the log's filter; with the codes `seen`
    in the log that have no words yet, so that none is out of reach."""
    codes = set(AUDIT_ACTIONS) | set(seen)
    labelled = [(code, str(AUDIT_ACTIONS.get(code, code))) for code in codes]
    return sorted(labelled, key=lambda choice: fold(choice[1]))
