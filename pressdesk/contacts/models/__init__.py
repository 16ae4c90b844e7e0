"""The press file: outlets, contacts and their details, lists, the opt-out list, imports."""

from pressdesk.contacts.models.contacts import (
    Beat,
    Contact,
    ContactEmail,
    ContactPhone,
    FieldChange,
    Interaction,
    Note,
    Position,
    Tag,
)
from pressdesk.contacts.models.facets import ContactFacet, FacetKind, FacetTotal, FacetVersion
from pressdesk.contacts.models.imports import ColumnMapping, ImportJob, MergeSuggestion
from pressdesk.contacts.models.lists import ContactList, ListMembership
from pressdesk.contacts.models.optout import OptOut
from pressdesk.contacts.models.outlets import Outlet
from pressdesk.contacts.models.sends import NoticeSend

__all__ = [
    "Beat",
    "ColumnMapping",
    "Contact",
    "ContactEmail",
    "ContactFacet",
    "ContactList",
    "ContactPhone",
    "FacetKind",
    "FacetTotal",
    "FacetVersion",
    "FieldChange",
    "ImportJob",
    "Interaction",
    "ListMembership",
    "MergeSuggestion",
    "Note",
    "NoticeSend",
    "OptOut",
    "Outlet",
    "Position",
    "Tag",
]
