"""The composer's form: what is sent, to whom, from whom; merge fields checked as you save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, ContactEmail, ContactList
from pressdesk.lib.text import normalise_email
from pressdesk.mailings import headers, merge
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingKind, ReleaseFormat
from pressdesk.releases.models import Release, ReleaseState

LANGUAGES = [("fr", "Français"), ("en", "English")]
APPROVED_STATES = (ReleaseState.APPROVED, ReleaseState.SCHEDULED, ReleaseState.PUBLISHED)


def approved_releases(org: Organisation) -> Any:
    """The organisation's releases whose current text is the approved one."""
    return (
        Release.objects.for_org(org)
        .filter(state__in=APPROVED_STATES, approved_version__isnull=False)
        .filter(approved_version=F("current_version"))
        .order_by("-updated")
    )


class ReleaseChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class ListChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        kind = _("segment") if obj.kind == ContactList.SEGMENT else _("list")
        return f"{obj.name} ({kind})"


class ComposeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What you send"),
        choices=MailingKind.choices,
        widget=forms.RadioSelect,
        initial=MailingKind.RELEASE,
    )
    release = ReleaseChoice(
        label=gettext_lazy("Release"),
        queryset=Release.objects.none(),
        required=False,
        help_text=gettext_lazy("Only approved releases can be sent."),
    )
    release_format = forms.ChoiceField(
        label=gettext_lazy("Release in the mail"),
        choices=ReleaseFormat.choices,
        widget=forms.RadioSelect,
        initial=ReleaseFormat.INLINE,
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the mailing"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For you and your team; recipients do not see it."),
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Merge fields allowed. For a release, its title when empty."),
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        strip=False,
        help_text=gettext_lazy(
            "Markdown: **bold**, *italics*, [link](https://…). For a release, the words above it."
        ),
    )
    sender_name = forms.CharField(label=gettext_lazy("Sender name"), max_length=200, required=False)
    sender_email = forms.EmailField(
        label=gettext_lazy("Sender address"),
        required=False,
        help_text=gettext_lazy("Your organisation's address when empty."),
    )
    reply_to = forms.EmailField(
        label=gettext_lazy("Reply-to address"),
        required=False,
        help_text=gettext_lazy("Where replies go, if not to the sender's address."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the mail"), choices=LANGUAGES)
    lists = ListChoices(
        label=gettext_lazy("Lists and segments"),
        queryset=ContactList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    addresses = forms.CharField(
        label=gettext_lazy("Individual contacts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("One email address per line, of contacts already in Pressdesk."),
    )
    intro_lines = forms.CharField(
        label=gettext_lazy("Personal intro lines"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "One per line: address, then a colon, then the sentence. Shown first, or where you put "
            "{{ intro }}."
        ),
    )
    track_clicks = forms.BooleanField(
        label=gettext_lazy("Track clicks on links"),
        required=False,
        help_text=gettext_lazy("Off by default: links then go through Pressdesk."),
    )
    track_opens = forms.BooleanField(
        label=gettext_lazy("Track opens"),
        required=False,
        help_text=gettext_lazy(
            "Off by default: unreliable (mail apps load images themselves) and, for the CNIL, "
            "tracking that needs consent."
        ),
    )

    def __init__(self, *args: Any, org: Organisation, mailing: Mailing | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.org = org
        self.mailing = mailing
        release = self.fields["release"]
        assert isinstance(release, forms.ModelChoiceField)
        release.queryset = approved_releases(org)
        lists = self.fields["lists"]
        assert isinstance(lists, forms.ModelMultipleChoiceField)
        lists.queryset = ContactList.objects.for_org(org).order_by("kind", "name")
        self.fields["language"].initial = org.language
        if mailing is not None:
            # What a mailing is cannot change once it exists: make another one instead.
            self.fields["kind"].disabled = True
            self.fields["release"].disabled = True
        self.contacts: list[Contact] = []
        self.intros: dict[str, str] = {}

    def _merge(self, name: str) -> None:
        try:
            merge.compile_template(self.cleaned_data.get(name) or "")
        except merge.MergeError as error:
            self.add_error(name, str(error))

    def _one_line(self, name: str) -> None:
        try:
            headers.check_line(self.cleaned_data.get(name) or "", self.fields[name].label or name)
        except MailingError as error:
            self.add_error(name, str(error))

    def _by_address(self, raw: list[str], field: str) -> dict[str, Contact]:
        wanted = [normalise_email(a) for a in raw if a.strip()]
        rows = ContactEmail.objects.for_org(self.org).filter(email_normalised__in=wanted)
        found = {r.email_normalised: r.contact_id for r in rows}
        missing = [a for a in wanted if a not in found]
        if missing:
            self.add_error(
                field,
                _("No contact has these addresses: %(addresses)s")
                % {"addresses": ", ".join(missing)},
            )
        people = Contact.objects.for_org(self.org).in_bulk(set(found.values()))
        return {a: people[pk] for a, pk in found.items() if pk in people}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or (self.mailing.kind if self.mailing else "")
        if kind == MailingKind.RELEASE and self.mailing is None and not data.get("release"):
            self.add_error("release", _("Choose the release to send."))
        if kind != MailingKind.RELEASE and not data.get("subject"):
            self.add_error("subject", _("A mailing needs a subject."))
        for name in ("subject", "body"):
            self._merge(name)
        for name in ("subject", "sender_name"):
            self._one_line(name)
        addresses = (data.get("addresses") or "").splitlines()
        self.contacts = list(self._by_address(addresses, "addresses").values())
        lines = [line for line in (data.get("intro_lines") or "").splitlines() if line.strip()]
        pairs: list[tuple[str, str]] = []
        for number, line in enumerate(lines, start=1):
            address, sep, text = line.partition(":")
            if not sep or not text.strip():
                self.add_error(
                    "intro_lines",
                    _("Line %(line)s: write the address, a colon, then the sentence.")
                    % {"line": number},
                )
                continue
            pairs.append((address.strip(), text.strip()))
        people = self._by_address([a for a, _t in pairs], "intro_lines")
        self.intros = {
            str(people[normalise_email(a)].pk): t for a, t in pairs if normalise_email(a) in people
        }
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned form as services.create_mailing / update_mailing take it."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            name: data[name]
            for name in (
                "name",
                "subject",
                "body",
                "release_format",
                "sender_name",
                "sender_email",
                "reply_to",
                "language",
                "track_clicks",
                "track_opens",
            )
        }
        fields["intros"] = self.intros
        fields["lists"] = list(data["lists"])
        fields["contacts"] = self.contacts
        if self.mailing is None:
            fields["kind"] = data["kind"]
            if data["kind"] == MailingKind.RELEASE:
                fields["release"] = data["release"]
        return fields


def initial_for(mailing: Mailing) -> dict[str, Any]:
    """The form's values for an existing mailing."""
    contacts = list(mailing.contacts.all())
    emails = {
        e.contact_id: e.email
        for e in ContactEmail.objects.for_org(mailing.org_id)
        .filter(contact__in=[c.pk for c in contacts])
        .order_by("contact_id", "is_primary", "-pk")  # the primary last: it wins
    }
    intro_ids = [int(k) for k in (mailing.intros or {}) if str(k).isdigit()]
    intro_emails = {
        e.contact_id: e.email
        for e in ContactEmail.objects.for_org(mailing.org_id)
        .filter(contact__in=intro_ids)
        .order_by("contact_id", "is_primary", "-pk")  # the primary last: it wins
    }
    return {
        "kind": mailing.kind,
        "release": mailing.release_id,
        "release_format": mailing.release_format,
        "name": mailing.name,
        "subject": mailing.subject,
        "body": mailing.body,
        "sender_name": mailing.sender_name,
        "sender_email": mailing.sender_email,
        "reply_to": mailing.reply_to,
        "language": mailing.language,
        "lists": list(mailing.lists.all()),
        "addresses": "\n".join(emails[c.pk] for c in contacts if c.pk in emails),
        "intro_lines": "\n".join(
            f"{intro_emails[int(k)]}: {v}"
            for k, v in (mailing.intros or {}).items()
            if str(k).isdigit() and int(k) in intro_emails
        ),
        "track_clicks": mailing.track_clicks,
        "track_opens": mailing.track_opens,
    }
