"""Changing a contact: create, edit, delete, notes, hand-logged interactions, lists and tags."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.contacts import editing, lists, services, tagging
from pressdesk.contacts.forms import ChooseListForm, ContactForm, InteractionForm, NoteForm, TagForm
from pressdesk.contacts.models import Contact, ContactList, Tag
from pressdesk.contacts.models.contacts import SourceKind


def _contact(request: OrgRequest, contact_id: int) -> Contact:
    return org_object(request, Contact, contact_id)


def _back(request: OrgRequest, contact: Contact) -> HttpResponse:
    return redirect("contacts:detail", org_slug=request.org.slug, contact_id=contact.pk)


@org_view("edit", methods=["GET", "POST"])
def contact_create(request: OrgRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, initial={"kind": "journalist"}, org=request.org)
    if request.method == "POST" and form.is_valid():
        contact = editing.save_contact(
            request.org,
            None,
            form.to_data(),
            by=request.user,
            source_kind=SourceKind.MANUAL,
            source_label=form.cleaned_data.get("source_label", ""),
        )
        messages.success(request, _("Contact added."))
        return _back(request, contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": None})


@org_view("edit", methods=["GET", "POST"])
def contact_edit(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = ContactForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        editing.save_contact(
            request.org, contact, form.to_data(), by=request.user, source_kind=SourceKind.MANUAL
        )
        messages.success(request, _("Changes saved."))
        return _back(request, contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@org_view("edit", methods=["POST"])
def contact_delete(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    name = str(contact)
    editing.delete_contact(contact, by=request.user, request=request)
    messages.success(request, _("%(name)s was deleted.") % {"name": name})
    return redirect("contacts:list", org_slug=request.org.slug)


@org_view("edit", methods=["POST"])
def add_note(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        editing.add_note(contact, form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty."))
    return _back(request, contact)


@org_view("edit", methods=["POST"])
def add_interaction(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = InteractionForm(request.POST)
    if form.is_valid():
        services.add_interaction(
            contact,
            form.cleaned_data["kind"],
            form.cleaned_data["summary"],
            when=form.cleaned_data["occurred_at"],
            by=request.user,
        )
        messages.success(request, _("Added to the timeline."))
    else:
        messages.error(request, _("Choose what happened, and when."))
    return _back(request, contact)


@org_view("edit", methods=["POST"])
def add_to_list(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = ChooseListForm(request.org, request.POST)
    if form.is_valid():
        contact_list = form.cleaned_data["contact_list"]
        lists.add_to_list(contact_list, [contact.pk], by=request.user, source=_("Contact page"))
        messages.success(request, _("Added to “%(list)s”.") % {"list": contact_list.name})
    else:
        messages.error(request, _("Choose a list."))
    return _back(request, contact)


@org_view("edit", methods=["POST"])
def remove_from_list(request: OrgRequest, contact_id: int, list_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    contact_list = org_object(request, ContactList, list_id)
    lists.remove_from_list(contact_list, [contact.pk])
    messages.success(request, _("Removed from “%(list)s”.") % {"list": contact_list.name})
    return _back(request, contact)


@org_view("edit", methods=["POST"])
def add_tag(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = TagForm(request.POST)
    if form.is_valid():
        tagging.tag_contact(contact, form.cleaned_data["tag"], by=request.user)
    return _back(request, contact)


@org_view("edit", methods=["POST"])
def remove_tag(request: OrgRequest, contact_id: int, tag_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    tag = org_object(request, Tag, tag_id)
    tagging.untag_contact(contact, tag, by=request.user)
    return _back(request, contact)


urlpatterns: list[URLPattern] = [
    path("new/", contact_create, name="create"),
    path("<int:contact_id>/edit/", contact_edit, name="edit"),
    path("<int:contact_id>/delete/", contact_delete, name="delete"),
    path("<int:contact_id>/notes/", add_note, name="add_note"),
    path("<int:contact_id>/interactions/", add_interaction, name="add_interaction"),
    path("<int:contact_id>/lists/", add_to_list, name="add_to_list"),
    path("<int:contact_id>/lists/<int:list_id>/remove/", remove_from_list, name="remove_from_list"),
    path("<int:contact_id>/tags/", add_tag, name="add_tag"),
    path("<int:contact_id>/tags/<int:tag_id>/remove/", remove_tag, name="remove_tag"),
]
