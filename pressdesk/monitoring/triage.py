"""Triage of clippings: verdict, tone (with its method), tags, note and assignee."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.monitoring.models import Clipping, Tone, ToneMethod, Verdict

MAX_TAGS = 20


def clean_tags(text: str) -> list[str]:
    """Tags typed as "a, b, c": trimmed, without repeats, at most MAX_TAGS."""
    tags: list[str] = []
    for tag in text.split(","):
        tag = " ".join(tag.split())[:50]
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def members(org: Organisation | int) -> QuerySet[Membership]:
    """The organisation's members, who clippings can be assigned to."""
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def apply(clipping: Clipping, data: dict[str, Any]) -> list[str]:
    """Apply what the triage form sent; return the names of the fields that changed."""
    changed: list[str] = []
    verdict = data.get("verdict")
    if verdict in Verdict.values and verdict != clipping.verdict:
        clipping.verdict = verdict
        changed.append("verdict")
    tone = data.get("tone")
    suggested = data.get("suggested_tone")
    if suggested in Tone.values:
        # The person confirmed the suggestion (monitoring.tone): the method says where it came
        # from. The tone menu sent along with it is ignored.
        if (suggested, ToneMethod.SUGGESTED) != (clipping.tone, clipping.tone_method):
            clipping.tone = suggested
            clipping.tone_method = ToneMethod.SUGGESTED
            changed += ["tone", "tone_method"]
    elif tone is not None and (tone in Tone.values or tone == "") and tone != clipping.tone:
        clipping.tone = tone
        clipping.tone_method = ToneMethod.MANUAL if tone else ""
        changed += ["tone", "tone_method"]
    if "tags" in data:
        tags = clean_tags(data["tags"])
        if tags != clipping.tags:
            clipping.tags = tags
            changed.append("tags")
    if "note" in data and data["note"] != clipping.note:
        clipping.note = str(data["note"])[:5000]
        changed.append("note")
    if "assignee" in data:
        wanted = str(data["assignee"] or "")
        user_id = (
            members(clipping.org_id)
            .filter(user_id=wanted)
            .values_list("user_id", flat=True)
            .first()
            if wanted.isdigit()
            else None
        )
        if user_id != clipping.assignee_id:
            clipping.assignee_id = user_id
            changed.append("assignee")
    if changed:
        clipping.save(update_fields=[*changed, "updated"])
    return changed
