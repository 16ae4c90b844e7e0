"""The forms of the import wizard, the export page and nothing else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import exporting
from pressdesk.contacts.importing.headers import FIELDS, IGNORE
from pressdesk.contacts.models import ContactList

SKIP, ALL_OR_NOTHING = "skip", "all"
MODES = [
    (SKIP, _("Import the good rows and list the others, with the reason")),
    (ALL_OR_NOTHING, _("All or nothing: import nothing if any row has an error")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (Excel, Google Contacts, Outlook, Cision, Meltwater…), XLSX or vCard (.vcf)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,.vcf,.vcard"}),
    )
    list_name = forms.CharField(
        label=_("Add everyone to the list"),
        required=False,
        max_length=200,
        help_text=_("Optional. The list is created if it does not exist."),
    )
    source_label = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_(
            "Where these contacts come from, kept on each contact (default: the file name)."
        ),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have errors"), choices=MODES, initial=SKIP, widget=forms.RadioSelect
    )


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("If some rows have errors"), choices=MODES, widget=forms.RadioSelect
    )


class MappingForm(forms.Form):
    """One choice per column of the file; the column's index names the field."""

    remember = forms.BooleanField(
        label=_("Remember this mapping for files with the same columns"),
        required=False,
        initial=True,
    )

    def __init__(
        self, headers: list[str], mapping: dict[str, str | None], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— choose —")), *((key, label) for key, label in FIELDS.items())]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(no header)"),
                choices=choices,
                initial=mapping.get(header) or "",
                required=True,
                error_messages={"required": _("Choose a field, or “Do not import”.")},
            )

    def columns(self) -> list[forms.BoundField]:
        """The column fields, in file order."""
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> dict[str, str]:
        """The confirmed mapping, header → field."""
        return {h: self.cleaned_data[f"col_{i}"] or IGNORE for i, h in enumerate(self.headers) if h}


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (exporting.CSV, _("CSV (Excel)")),
            (exporting.XLSX, _("Excel workbook (.xlsx)")),
            (exporting.VCARD, _("vCard (.vcf) for address books")),
        ],
    )
    scope = forms.ChoiceField(label=_("Contacts"), required=False)
    delimiter = forms.ChoiceField(
        label=_("CSV separator"),
        required=False,
        choices=[(";", _("Semicolon (French Excel)")), (",", _("Comma")), ("\t", _("Tab"))],
    )

    def __init__(self, org: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        lists = ContactList.objects.for_org(org).order_by("kind", "name")
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            ("", _("Everyone in the press file")),
            *((str(cl.pk), _list_label(cl)) for cl in lists),
        ]
        self.fields["delimiter"].initial = exporting.delimiter_for(org)

    def contact_list(self) -> ContactList | None:
        """The chosen list or segment, if any."""
        scope = self.cleaned_data.get("scope")
        return (
            ContactList.objects.for_org(self.org).filter(pk=int(scope)).first() if scope else None
        )


def _list_label(contact_list: ContactList) -> str:
    if contact_list.kind == ContactList.SEGMENT:
        return str(_("Segment: %(name)s")) % {"name": contact_list.name}
    return str(_("List: %(name)s")) % {"name": contact_list.name}
