"""Roles in an organisation and what each may do."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    PRESS_OFFICER = "press_officer", _("Press officer")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    VIEWER = "viewer", _("Viewer")


# What each role may do. Views, the API, the CLI and exports all ask `can(role, perm)`.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DIRECTOR: frozenset(
        {"read", "edit", "send", "approve", "export", "manage_team", "read_audit", "erase"}
    ),
    Role.PRESS_OFFICER: frozenset({"read", "edit", "send", "export", "erase"}),
    Role.SPOKESPERSON: frozenset({"read", "edit_briefings"}),
    Role.VIEWER: frozenset({"read"}),
}

ALL_PERMISSIONS = frozenset().union(*PERMISSIONS.values())


def can(role: str, perm: str) -> bool:
    """Whether a member with this role may do `perm`."""
    if perm not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {perm!r}")
    return perm in PERMISSIONS.get(role, frozenset())
