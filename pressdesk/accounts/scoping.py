"""Organisation-owned data: every model with an `org` is read through `for_org(org)`.

`Model.objects.for_org(org)` is the one way views, the API, services and commands start a query on
an organisation's data; `pressdesk/tests/test_org_scoping.py` fails on any other. A queryset from
`for_org` also fills in `org` on what it creates, so `for_org(org).get_or_create(name=…)` stays
inside the organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from pressdesk.accounts.models import Organisation

M = TypeVar("M", bound=models.Model)

# The comment that marks a query which rightly spans organisations, with the reason after it:
# `# all-orgs: the sweeper looks at every organisation's jobs`.
ALL_ORGS_MARKER = "# all-orgs:"


class OrgQuerySet(models.QuerySet[M]):
    """A queryset that knows the organisation it was scoped to, once `for_org` is called."""

    _org: Organisation | int | None = None

    def for_org(self, org: Organisation | int) -> Self:
        """Only this organisation's rows; what is created from here belongs to it."""
        if org is None:
            raise ValueError("for_org needs an organisation")
        scoped = self.filter(org=org)
        scoped._org = org
        return scoped

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._org = self._org
        return clone

    def create(self, **kwargs: Any) -> M:
        if self._org is not None:
            _own(kwargs, self._org)
        return super().create(**kwargs)


def _own(kwargs: dict[str, Any], org: Organisation | int) -> None:
    """Put the scoped organisation into a create's fields, refusing another one."""
    org_id = org if isinstance(org, int) else org.pk
    given = kwargs.get("org", kwargs.get("org_id"))
    if given is None:
        kwargs["org_id"] = org_id
        kwargs.pop("org", None)
        return
    given_id = given if isinstance(given, int) else given.pk
    if given_id != org_id:
        raise ValueError("cannot create another organisation's row from a scoped queryset")


# The default manager of organisation-owned models: `Model.objects.for_org(org)`, and every other
# queryset method, returning querysets that can be scoped.
OrgManager = models.Manager.from_queryset(OrgQuerySet)


class OrgOwned(models.Model):
    """A row that belongs to one organisation.

    A model may redeclare `org` for its own `related_name` (or the audit log's looser key); the
    manager only needs a field of that name.
    """

    org = models.ForeignKey("accounts.Organisation", models.CASCADE, related_name="+")

    objects = OrgManager()

    class Meta:
        abstract = True
