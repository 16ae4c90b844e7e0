"""Forms of the release editor, the review page and the releases' settings."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.releases.models import ReleaseTemplate


class NewReleaseForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a text", "Title"), max_length=300)
    template = forms.ChoiceField(
        label=_("Template"),
        choices=ReleaseTemplate.choices,
        help_text=_("Sets the dateline, the closing mark and French typography."),
    )
    city = forms.CharField(
        label=_("City of the dateline"), max_length=100, required=False, initial="Paris"
    )


class ReleaseForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a text", "Title"), max_length=300)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=300, required=False)
    dateline = forms.CharField(
        label=_("Dateline"),
        max_length=200,
        required=False,
        help_text=_("City and date: “Paris, le 3 mars 2027”."),
    )
    lead = forms.CharField(
        label=_("Lead"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who, what, when, where, why, in two or three sentences."),
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: a blank line between paragraphs, **bold**, *italics*, "
            "[link](https://…), “> ” for a quote, “## ” for a heading."
        ),
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Image or file"))
    title = forms.CharField(
        label=pgettext_lazy("heading of a text", "Title"), max_length=200, required=False
    )
    caption = forms.CharField(label=_("Caption"), required=False)
    credit = forms.CharField(
        label=_("Credit"), max_length=200, required=False, help_text=_("“© Jeanne Martin / AFP”")
    )
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=300,
        required=False,
        help_text=_("Required for an image."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approved", _("Sign off")), ("changes", _("Request changes"))]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def instant_parts(self) -> tuple[date, time]:
        """The date and wall time entered, in the organisation's time zone."""
        data: dict[str, Any] = self.cleaned_data
        return data["day"], data["at"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (kept in the history)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BoilerplateForm(forms.Form):
    about = forms.CharField(
        label=_("About the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact = forms.CharField(
        label=_("Press contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Name, telephone, email: one per line."),
    )
