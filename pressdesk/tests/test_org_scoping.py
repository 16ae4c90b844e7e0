"""Organisation data is scoped by construction: a forgotten `for_org` fails here, before review.

The check reads the source (pressdesk/tests/scope_check.py): every query on a model with an `org`
field, in views, the API, services, commands and exports, starts with `for_org(org)`, goes through
`org_object`/`member_object`, or says why it spans organisations (`# all-orgs: …`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404
from django.test import RequestFactory

import pressdesk
from pressdesk.accounts.access import member_object, org_object
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models import Beat, Contact, ContactEmail, Tag
from pressdesk.tests.scope_check import check_source, check_tree

OWNED = ["Contact", "ContactEmail", "Beat"]


def org_models() -> list[type[models.Model]]:
    """Every installed model with a field called `org`."""
    return [m for m in apps.get_models() if any(f.name == "org" for f in m._meta.get_fields())]


def test_every_model_with_an_org_is_org_owned(db: None) -> None:
    loose = [m.__name__ for m in org_models() if not issubclass(m, OrgOwned)]
    assert not loose, f"models with an org field that do not inherit OrgOwned: {loose}"


def test_no_query_on_organisation_data_forgets_for_org() -> None:
    names = {m.__name__ for m in org_models()}
    assert {"Contact", "Outlet", "Membership"} <= names
    found = check_tree(Path(pressdesk.__file__).parent, names)
    assert not found, (
        "Scope these queries with Model.objects.for_org(org) or org_object(request, Model, pk),"
        " or mark a query that rightly spans organisations with '# all-orgs: why':\n"
        + "\n".join(map(str, found))
    )


def test_it_catches_a_planted_unscoped_query() -> None:
    source = """
def contact_detail(request, contact_id):
    contact = Contact.objects.get(pk=contact_id)
    other = get_object_or_404(Contact, pk=contact_id)
    emails = models.ContactEmail.objects.filter(email="a@example.org")
    every = Beat._default_manager.all()
    return contact, other, emails, every
"""
    found = check_source(source, OWNED, "views.py")
    assert [(u.line, u.model) for u in found] == [
        (3, "Contact"),
        (4, "Contact"),
        (5, "ContactEmail"),
        (6, "Beat"),
    ]
    assert str(found[0]) == ("views.py:3: Contact queried without for_org: Contact.objects")


def test_it_catches_a_filter_on_org_written_by_hand() -> None:
    # The old way is caught too: only for_org says the query is scoped on purpose.
    found = check_source("rows = Contact.objects.filter(org=org, kind='editor')\n", OWNED)
    assert [u.model for u in found] == ["Contact"]


def test_it_leaves_scoped_and_related_queries_alone() -> None:
    source = """
def honest(request, org, contact, pk):
    a = Contact.objects.for_org(org).filter(kind="editor").order_by("pk")
    b = org.contacts.filter(kind="editor")
    c = contact.emails.all()
    d = Contact.objects.create(org=org, first_name="Ada")
    e = org_object(request, Contact.objects.select_related("org"), pk)
    f = member_object(request.auth, Contact, pk)
    g = Contact.objects.none()
    h = Outlet.objects.filter(name="not an org model here")
    i = Beat.objects.for_org(org).get_or_create(name_normalised="x")
    return a, b, c, d, e, f, g, h, i
"""
    assert check_source(source, OWNED) == []


def test_it_accepts_a_marked_query_with_a_reason() -> None:
    source = """
# all-orgs: the nightly sweep looks at every organisation
stale = Contact.objects.filter(created__lt=limit)
swept = Contact.objects.filter(  # all-orgs: the same sweep
    created__lt=limit,
).update(flag=True)
"""
    assert check_source(source, OWNED) == []


def test_it_wants_a_reason_after_the_marker() -> None:
    found = check_source("rows = Contact.objects.all()  # all-orgs:\n", OWNED)
    assert [u.model for u in found] == ["Contact"]


def test_for_org_keeps_to_its_organisation(org: Organisation, other_org: Organisation) -> None:
    ours = Contact.objects.create(org=org, last_name="Ours")
    Contact.objects.create(org=other_org, last_name="Theirs")
    assert list(Contact.objects.for_org(org)) == [ours]
    assert list(Contact.objects.for_org(org.pk)) == [ours]
    assert list(Contact.objects.for_org(org).filter(last_name="Theirs")) == []


def test_what_a_scoped_queryset_creates_belongs_to_its_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    beat, created = Beat.objects.for_org(org).get_or_create(
        name_normalised="energie", defaults={"name": "Énergie"}
    )
    assert created and beat.org == org
    again, created = Beat.objects.for_org(org).get_or_create(name_normalised="energie")
    assert again == beat and not created
    theirs, created = Beat.objects.for_org(other_org).get_or_create(
        name_normalised="energie", defaults={"name": "Énergie"}
    )
    assert created and theirs.org == other_org
    tag = Tag.objects.for_org(org.pk).create(name="Presse", name_normalised="presse")
    assert tag.org == org
    with pytest.raises(ValueError, match="another organisation"):
        Tag.objects.for_org(org).create(org=other_org, name="X", name_normalised="x")


def test_org_object_answers_404_outside_the_organisation(
    org: Organisation, other_org: Organisation, alice: User, rf: RequestFactory
) -> None:
    ours = Contact.objects.create(org=org, last_name="Ours")
    theirs = Contact.objects.create(org=other_org, last_name="Theirs")
    request = rf.get("/")
    request.org = org  # type: ignore[attr-defined]
    assert org_object(request, Contact, ours.pk) == ours
    assert org_object(request, Contact.objects.select_related("org"), ours.pk) == ours
    with pytest.raises(Http404):
        org_object(request, Contact, theirs.pk)
    with pytest.raises(Http404):
        org_object(request, Contact, ours.pk, last_name="Someone else")
    member = Membership.objects.get(user=alice)
    assert member_object(member, Contact, ours.pk) == ours
    with pytest.raises(Http404):
        member_object(member, Contact, theirs.pk)
    email = ContactEmail.objects.create(contact=theirs, org=other_org, email="t@example.org")
    with pytest.raises(Http404):
        member_object(member, ContactEmail, email.pk)


def test_org_object_refuses_a_model_without_an_organisation(
    org: Organisation, rf: RequestFactory
) -> None:
    request = rf.get("/")
    request.org = org  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="User is not owned by an organisation"):
        org_object(request, User.objects.all(), 1)
