"""The sender's legal identity (legal name, postal address) at the foot of every mail to contacts:
mailings and GDPR mails as a real SMTP server receives them, in French and English, and in the
composer's preview; printed literally, never as markup."""

from __future__ import annotations

from datetime import timedelta
from email.message import Message

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr, retention
from pressdesk.contacts.models import NoticeSend
from pressdesk.contacts.sends import process as send_notices
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.mailings import sending, services
from pressdesk.mailings.models import Recipient
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests import compose_data as data
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list

pytestmark = pytest.mark.django_db

ADDRESS = "12 quai de la Loire\r\n45000 Orléans\r\n\r\nFrance"
HOSTILE = '<script>alert("x")</script> & Cie\n1 rue <b>du Port</b>'


@pytest.fixture
def identified(org: Organisation) -> Organisation:
    org.legal_name, org.postal_address = "Acme Énergie SAS", ADDRESS
    org.save()
    return org


def parts(message: Message) -> tuple[str, str]:
    """(plain text, HTML) of a received message, decoded."""
    found: dict[str, str] = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            text = payload.decode(part.get_content_charset() or "utf-8")
            found[part.get_content_subtype()] = text.replace("\r\n", "\n")
    return found["plain"], found["html"]


def send_mailing(org: Organisation, user: User, **fields: str) -> None:
    mailing = free_mailing(org, user, static_list(org, "Presse", people(org, 1)), **fields)
    services.start(mailing, user)
    first = Recipient.objects.filter(mailing=mailing).order_by("pk").first()
    assert first is not None
    assert sending.process(first.pk)["sent"] == 1


def footer(text: str) -> str:
    """The plain text after the signature separator."""
    return text.rpartition("\n-- \n")[2]


@pytest.mark.parametrize(
    ("language", "before"),
    [("fr", "Vous recevez ce message"), ("en", "You receive this message")],
)
def test_a_mailing_carries_the_legal_name_and_postal_address(
    identified: Organisation, bob: User, sink: Sink, language: str, before: str
) -> None:
    send_mailing(identified, bob, language=language)
    text, rich = parts(sink.parsed(0))
    tail = footer(text)
    # One line each, after who sends and before the way out; blank lines dropped.
    lines = tail.splitlines()
    assert lines[0].startswith(before)
    assert lines[1:5] == ["Acme Énergie SAS", "12 quai de la Loire", "45000 Orléans", "France"]
    assert "/m/u/" in lines[5]
    assert (
        '<p class="identity">Acme Énergie SAS<br>12 quai de la Loire<br>45000 Orléans<br>France</p>'
        in rich
    )
    assert rich.index('class="identity"') < rich.index("/m/u/")
    assert rich.index('class="footer"') < rich.index('class="identity"')


def test_without_an_identity_the_footer_is_as_before(
    org: Organisation, bob: User, sink: Sink
) -> None:
    send_mailing(org, bob)
    text, rich = parts(sink.parsed(0))
    assert len(footer(text).strip().splitlines()) == 2
    assert 'class="identity"' not in rich


def test_markup_in_the_address_is_printed_literally(
    org: Organisation, bob: User, sink: Sink
) -> None:
    org.postal_address = HOSTILE
    org.save()
    send_mailing(org, bob)
    text, rich = parts(sink.parsed(0))
    assert '<script>alert("x")</script> & Cie' in footer(text).splitlines()
    assert "1 rue <b>du Port</b>" in footer(text).splitlines()
    assert "<script" not in rich and "<b>du" not in rich
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie<br>"
        "1 rue &lt;b&gt;du Port&lt;/b&gt;</p>"
    ) in rich
    # The body of a mail only: no header gained anything from it.
    message = sink.parsed(0)
    assert not any("Port" in str(value) for _name, value in message.items())


@pytest.mark.parametrize(
    ("language", "greeting"), [("fr", "Bonjour Marie Dupont"), ("en", "Hello Marie Dupont")]
)
def test_a_gdpr_notice_carries_the_identity(
    identified: Organisation, bob: User, sink: Sink, language: str, greeting: str
) -> None:
    person(identified, source_kind="import", preferred_language=language)
    gdpr.queue_notices(identified, by=bob)
    first = NoticeSend.objects.order_by("pk").first()
    assert first is not None
    assert send_notices(first.pk)["sent"] == 1
    text, rich = parts(sink.parsed(0))
    assert text.startswith(greeting)
    assert footer(text).strip().splitlines() == [
        "Acme Énergie",
        "Acme Énergie SAS",
        "12 quai de la Loire",
        "45000 Orléans",
        "France",
    ]
    assert "Acme Énergie SAS<br>12 quai de la Loire<br>45000 Orléans<br>France</p>" in rich


def test_a_retention_reask_carries_the_identity_escaped(
    org: Organisation, bob: User, sink: Sink
) -> None:
    org.legal_name = "Acme <i>SAS</i>"
    org.save()
    contact = person(org, created=timezone.now() - timedelta(days=4 * 365))
    retention.flag_stale(org)
    assert retention.queue_reasks(org, [contact.pk], by=bob) == 1
    first = NoticeSend.objects.order_by("pk").first()
    assert first is not None
    assert send_notices(first.pk)["sent"] == 1
    text, rich = parts(sink.parsed(0))
    assert footer(text).strip().splitlines() == ["Acme Énergie", "Acme <i>SAS</i>"]
    assert "Acme &lt;i&gt;SAS&lt;/i&gt;</p>" in rich and "<i>SAS" not in rich


def test_the_composer_preview_shows_it(
    as_vera: Client, identified: Organisation, bob: User
) -> None:
    identified.postal_address = HOSTILE
    identified.save()
    mailing = data.mailing(identified, bob)
    jeanne = data.contact(identified)
    mailing.contacts.add(jeanne)
    base = f"/o/{identified.slug}/mailings/{mailing.pk}/preview/"
    fragment = as_vera.get(f"{base}?contact={jeanne.pk}", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    # The plain-text part, shown in a <pre>: escaped once by the page.
    assert "Acme Énergie SAS\n&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in (
        fragment.content.decode()
    )
    page = as_vera.get(f"{base}{jeanne.pk}/mail.html")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Acme Énergie SAS<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in body
    assert "<script" not in body
