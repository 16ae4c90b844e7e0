"""The audience of a mailing: planned (for the check page) and frozen (when sending starts).

Owned by the engine work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressdesk.mailings.models import Mailing


@dataclass
class AudiencePlan:
    """Who a mailing would reach right now, and who is left out and why."""

    recipients: int = 0  # after deduplication by address and by person
    excluded: dict[str, int] = field(default_factory=dict)  # ExclusionReason value → count
    duplicates: int = 0  # people or addresses reached through several lists, counted once
    warnings: list[str] = field(default_factory=list)  # in the reader's language
    sample: list[int] = field(default_factory=list)  # a few contact ids, for previews


def plan(mailing: Mailing) -> AudiencePlan:
    """Resolve the audience without writing anything."""
    raise NotImplementedError


def freeze(mailing: Mailing) -> int:
    """Write the ledger (Recipient rows) and Exclusion rows once; return the recipient count."""
    raise NotImplementedError
