"""Forms for logging in, team management and personal preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit_words
from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.roles import Role


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PRESS_OFFICER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SignupForm(forms.Form):
    """Account creation for someone accepting an invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(
            password, User(email=self.email, full_name=self.data.get("full_name", ""))
        )
        return password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "timezone", "language", "legal_name", "postal_address"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 4})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Who"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, seen: Iterable[str] = (), **kwargs: Any) -> None:
        """`seen`: the action codes in this log, offered even before they have words."""
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", _("All actions")), *audit_words.action_choices(seen)]
