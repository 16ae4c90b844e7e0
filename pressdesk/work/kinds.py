"""The registry of durable kinds: which domain tables hold background work, and how to wake it.

A module registers its kinds from its AppConfig.ready():

    register_kind("contacts.import", ImportJob, wake=tasks.run_import, redo_safe=True)

`wake` is a django-tasks task taking the row's primary key. `redo_safe` says what an expired
claim becomes: pending again (the work can run twice without harm, e.g. an import whose writes
commit with its "done") or interrupted (its fate is unknown, e.g. a mail that may have left).
`unstarted`, for work that is not redo-safe, picks the claimed rows whose work had not begun (a
mail of a claimed batch not yet handed to the mail server): those go back to pending too.
A wake-up that claims a batch says so with `covers` (rows per wake-up) and `group` (the fields
its batch shares), so that the sweeper wakes one task per batch, not one per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    wake: Any  # a django_tasks Task taking the row id
    redo_safe: bool
    label: str | Promise
    max_attempts: int = 20
    unstarted: Q | None = None
    covers: int = 1
    group: tuple[str, ...] = ()

    def queryset(self) -> models.QuerySet[Any]:
        """All rows of this kind (the claimable model's default manager)."""
        return self.model._default_manager.all()

    def describe(self, obj: Any) -> str:
        """A short human description of one row, for the operators' page."""
        return str(obj)


KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    model: type[models.Model],
    *,
    wake: Any,
    redo_safe: bool,
    label: str | Promise,
    max_attempts: int = 20,
    unstarted: Q | None = None,
    covers: int = 1,
    group: tuple[str, ...] = (),
) -> Kind:
    """Declare a claimable model as durable work; registering a name again replaces it."""
    kind = Kind(name, model, wake, redo_safe, label, max_attempts, unstarted, covers, group)
    KINDS[name] = kind
    return kind


def kind_of(model: type[models.Model]) -> Kind:
    """The kind registered for this model (KeyError if none)."""
    for kind in KINDS.values():
        if kind.model is model:
            return kind
    raise KeyError(model.__name__)
