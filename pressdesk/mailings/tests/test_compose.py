"""The composer: multipart messages, headers on the wire, merge fields, release and embargo."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import idna
import pytest
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.compose import Composer, Rendered
from pressdesk.mailings.errors import HeaderInjection
from pressdesk.mailings.merge import MergeError
from pressdesk.mailings.models.mailing import MailingKind, ReleaseFormat
from pressdesk.mailings.tests import compose_data as data
from pressdesk.releases.tests import newsroom_data


def parsed(rendered: Rendered) -> EmailMessage:
    message = email.message_from_bytes(rendered.data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    assert text is not None and rich is not None
    # The parser keeps the wire's CRLF in the decoded text.
    return (
        text.get_content().replace("\r\n", "\n"),
        rich.get_content().replace("\r\n", "\n"),
    )


def one(org: Organisation, **fields: Any) -> tuple[Composer, Any]:
    mailing = data.mailing(org, **fields)
    person = data.contact(org)
    row = data.recipient(mailing, person)
    composer = Composer(mailing)
    composer.prepare([row])
    return composer, row


def test_it_builds_a_multipart_message_with_every_header(org: Organisation) -> None:
    composer, row = one(org)
    rendered = composer.render(row)
    message = parsed(rendered)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["From"] == "Service presse Acme <presse@acme.example>"
    assert message["To"] == "Jeanne Dupont <jeanne@example.org>"
    assert message["Reply-To"] == "replies@acme.example"
    assert message["Subject"] == "Notre offre pour Ouest-France"
    assert message["Date"].datetime is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    assert links[0].startswith("http://") and "/m/u/" in links[0]
    token = links[0].rstrip("/").rsplit("/", 1)[1]
    assert links[1] == f"mailto:replies@acme.example?subject=unsubscribe-{token}"
    assert rendered.message_id == message["Message-ID"]
    assert rendered.sender == "presse@acme.example" and rendered.to == "jeanne@example.org"
    assert rendered.smtputf8 is False
    assert b"\r\n" in rendered.data and b"\n" not in rendered.data.replace(b"\r\n", b"")
    text, rich = parts(message)
    assert text.startswith("Bonjour Jeanne Dupont,") or text.startswith("Hello Jeanne Dupont,")
    assert "le site (https://example.org/offre)" in text
    assert f"/m/u/{token}/" in text and f"/m/u/{token}/" in rich
    assert "<strong>notre offre</strong>" in rich
    assert "Acme Énergie" in rich and "presse@acme.example" in rich  # sender's identity


def test_the_emailmessage_route_says_the_same(org: Organisation) -> None:
    composer, row = one(org)
    fast = parsed(composer.render(row))
    message = composer.message(row)
    again = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(again, EmailMessage)
    for name in ("From", "To", "Subject", "Message-ID", "List-Unsubscribe", "Reply-To"):
        assert str(again[name]) == str(fast[name])
    assert parts(again) == parts(fast)


def test_a_long_unsubscribe_address_reads_the_same_by_both_routes(org: Organisation) -> None:
    # Large ids (a busy PostgreSQL) make the https line of List-Unsubscribe pass 78 characters.
    composer, row = one(org)
    row.pk = row.id = 9_876_543_210
    fast = parsed(composer.render(row))
    again = email.message_from_bytes(composer.message(row).as_bytes(), policy=policy.default)
    assert str(again["List-Unsubscribe"]) == str(fast["List-Unsubscribe"])


def test_message_id_is_stable_per_row_and_differs_between_rows(org: Organisation) -> None:
    composer, row = one(org)
    other = data.recipient(row.mailing, data.contact(org, "Paul", "Martin", "paul@example.org"))
    first = composer.message_id(row)
    assert first == Composer(row.mailing).message_id(row)
    assert re.fullmatch(rf"<m{row.mailing_id}\.r{row.pk}\.[0-9a-f]{{8}}@acme\.example>", first)
    assert composer.message_id(other) != first


def test_non_ascii_names_are_encoded_words_and_idn_domains_punycode(org: Organisation) -> None:
    mailing = data.mailing(
        org, sender_name="Service presse Énergie", sender_email="presse@énergie.fr"
    )
    person = data.contact(org, "Zoé", "Lefèvre-Dubois", "zoe@exämple.org")
    row = data.recipient(mailing, person)
    rendered = Composer(mailing).render(row)
    raw = rendered.data.decode("ascii")  # pure ASCII on the wire
    assert "=?utf-8?b?" in raw
    sender_domain = idna.encode("énergie.fr").decode()
    domain = idna.encode("exämple.org").decode()
    assert f"presse@{sender_domain}" in raw and f"zoe@{domain}" in raw
    message = parsed(rendered)
    assert message["From"].addresses[0].display_name == "Service presse Énergie"
    assert message["To"].addresses[0].display_name == "Zoé Lefèvre-Dubois"
    assert rendered.to == f"zoe@{domain}" and not rendered.smtputf8
    assert rendered.sender == f"presse@{sender_domain}"


def test_a_non_ascii_local_part_asks_for_smtputf8(org: Organisation) -> None:
    mailing = data.mailing(org)
    row = data.recipient(mailing, data.contact(org, email="jérôme@example.org"))
    rendered = Composer(mailing).render(row)
    assert rendered.smtputf8 is True
    message = email.message_from_string(rendered.data.decode("utf-8"), policy=policy.SMTPUTF8)
    assert message["To"].addresses[0].addr_spec == "jérôme@example.org"
    assert Composer(mailing).message(row).policy.utf8 is True


def test_long_subjects_and_names_are_folded_under_78_characters(org: Organisation) -> None:
    subject = "Très long objet " * 12 + "{{ outlet }}"
    composer, row = one(org, subject=subject)
    rendered = composer.render(row)
    head = rendered.data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    subject_lines = re.search(rb"Subject: (.*?)\r\n(?! )", head, re.S)
    assert subject_lines is not None
    assert all(len(line) <= 78 for line in subject_lines.group(0).split(b"\r\n"))
    assert parsed(rendered)["Subject"] == " ".join(subject.split()).replace(
        "{{ outlet }}", "Ouest-France"
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "Offre\r\nBcc: victim@example.org"},
        {"subject": "Offre\nBcc: victim@example.org"},
        {"subject": "Offre\u2028Bcc: victim@example.org"},
        {"subject": "Offre\x0bBcc: victim@example.org"},
        {"sender_name": "Presse\r\nBcc: victim@example.org"},
        {"sender_email": "presse@acme.example\r\nBcc: victim@example.org"},
        {"reply_to": "a@acme.example\nBcc: victim@example.org"},
    ],
)
def test_it_refuses_header_injection_in_the_mailing(
    org: Organisation, fields: dict[str, str]
) -> None:
    mailing = data.mailing(org, **fields)
    with pytest.raises(HeaderInjection):
        Composer(mailing)


def test_it_refuses_a_line_break_from_a_merge_value_in_the_subject(org: Organisation) -> None:
    mailing = data.mailing(org, subject="Pour {{ job_title }}")
    person = data.contact(org, title="")
    person.job_title = "Rédactrice\r\nBcc: victim@example.org"
    person.save()
    row = data.recipient(mailing, person)
    composer = Composer(mailing)
    with pytest.raises(HeaderInjection, match="job_title"):
        composer.render(row)
    with pytest.raises(HeaderInjection):
        composer.message(row)


def test_it_refuses_a_line_break_in_the_recipient_name(org: Organisation) -> None:
    mailing = data.mailing(org)
    row = data.recipient(mailing, data.contact(org), name="Jeanne\r\nBcc: victim@example.org")
    with pytest.raises(HeaderInjection):
        Composer(mailing).render(row)


def test_the_same_value_in_the_body_is_just_text(org: Organisation) -> None:
    mailing = data.mailing(org, body="Pour {{ job_title }}.")
    person = data.contact(org, title="")
    person.job_title = "Rédactrice\r\nBcc: x@example.org <b>gras</b>"
    person.save()
    row = data.recipient(mailing, person)
    text, rich = parts(parsed(Composer(mailing).render(row)))
    assert "Rédactrice\nBcc: x@example.org <b>gras</b>" in text
    assert "&lt;b&gt;gras&lt;/b&gt;" in rich and "<b>gras" not in rich


def test_a_contact_named_like_a_template_is_printed_literally(org: Organisation) -> None:
    mailing = data.mailing(
        org, subject="Pour {{ first_name }}", body="{{ greeting }} {{ last_name }}"
    )
    person = data.contact(org, "{{ settings.SECRET_KEY }}", "{% debug %}{{ intro }}")
    row = data.recipient(mailing, person)
    rendered = Composer(mailing).render(row)
    message = parsed(rendered)
    assert message["Subject"] == "Pour {{ settings.SECRET_KEY }}"
    text, rich = parts(message)
    assert "{{ settings.SECRET_KEY }}" in text and "{% debug %}{{ intro }}" in text
    from django.conf import settings

    assert settings.SECRET_KEY not in rendered.data.decode("utf-8", "replace")
    assert settings.SECRET_KEY not in text + rich


def test_every_documented_field_is_filled(org: Organisation) -> None:
    names = ["first_name", "last_name", "full_name", "outlet", "job_title", "beat", "intro"]
    body = "|".join(f"{{{{ {name} }}}}" for name in names)
    mailing = data.mailing(org, body=body)
    person = data.contact(org, beats=("énergie", "climat"))
    mailing.intros = {str(person.pk): "Suite à notre échange"}
    mailing.save()
    row = data.recipient(mailing, person)
    text, _rich = parts(parsed(Composer(mailing).render(row)))
    assert (
        "Jeanne|Dupont|Jeanne Dupont|Ouest-France|Rédactrice en chef|climat, énergie|"
        "Suite à notre échange"
    ) in text


def test_defaults_fill_empty_fields_and_intro_goes_first_when_not_placed(org: Organisation) -> None:
    mailing = data.mailing(org, body='Pour {{ outlet|default:"votre rédaction" }}.')
    person = data.contact(org, outlet="")
    mailing.intros = {str(person.pk): "Suite à notre échange"}
    mailing.save()
    row = data.recipient(mailing, person)
    text, _rich = parts(parsed(Composer(mailing).render(row)))
    assert text.index("Suite à notre échange") < text.index("Pour votre rédaction.")


@pytest.mark.parametrize(
    ("body", "field", "where"),
    [
        ("Bonjour {{ settings.SECRET_KEY }}", "settings.SECRET_KEY", "line 1, column 9"),
        ("Ligne\n\n  {{ prenom }}", "prenom", "line 3, column 3"),
        ("{{ first_name|upper }}", "first_name", "line 1, column 1"),
        ("{{ first_name", "first_name", "line 1, column 1"),
    ],
)
def test_unknown_fields_are_an_error_with_name_and_position(
    org: Organisation, body: str, field: str, where: str
) -> None:
    mailing = data.mailing(org, body=body)
    with pytest.raises(MergeError) as caught:
        Composer(mailing)
    assert field in str(caught.value) and where in str(caught.value)


def test_a_merge_field_in_a_link_address_is_refused(org: Organisation) -> None:
    mailing = data.mailing(org, body="[site](https://example.org/{{ outlet }})")
    with pytest.raises(MergeError, match="outlet"):
        Composer(mailing)


def test_greeting_is_neutral_and_never_guessed(org: Organisation) -> None:
    mailing = data.mailing(org, body="{{ greeting }},")
    marie = data.recipient(mailing, data.contact(org, "Marie", "Curie", "m@example.org"))
    nameless = data.recipient(mailing, data.contact(org, "", "", "x@example.org"))
    composer = Composer(mailing)
    marie_text, _r = parts(parsed(composer.render(marie)))
    nameless_text, _r = parts(parsed(composer.render(nameless)))
    assert marie_text.startswith("Bonjour Marie Curie,")
    assert nameless_text.startswith("Bonjour,")
    assert "Madame" not in marie_text and "Monsieur" not in marie_text
    english = data.mailing(org, body="{{ greeting }},", language="en")
    row = data.recipient(english, data.contact(org, "Marie", "Curie", "m2@example.org"))
    assert parts(parsed(Composer(english).render(row)))[0].startswith("Hello Marie Curie,")


def test_french_typography_in_the_body(org: Organisation) -> None:
    composer, row = one(org, body='Rendez-vous à 14h30 : "portes ouvertes" !')
    text, rich = parts(parsed(composer.render(row)))
    assert "14\u00a0h\u00a030\u00a0: «\u00a0portes ouvertes\u00a0»\u202f!" in rich
    assert "14\u00a0h\u00a030\u00a0: «\u00a0portes ouvertes\u00a0»\u202f!" in text


def test_raw_html_in_the_message_is_not_obeyed(org: Organisation) -> None:
    composer, row = one(
        org, body="<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    _text, rich = parts(parsed(composer.render(row)))
    assert "<script" not in rich and "<img" not in rich and 'href="javascript' not in rich
    assert "&lt;script&gt;" in rich


def test_a_release_inline_with_its_embargo_notice(org: Organisation, alice: User) -> None:
    until = timezone.now() + timedelta(days=2)
    made = newsroom_data.release(
        org, visible_from=until, state="scheduled", body_html="<p>Le corps.</p>"
    )
    composer, row = one(org, kind=MailingKind.RELEASE, release=made, body="{{ greeting }},")
    text, rich = parts(parsed(composer.render(row)))
    assert "SOUS EMBARGO JUSQU’AU" in text and "SOUS EMBARGO JUSQU’AU" in rich
    assert text.index("SOUS EMBARGO") < text.index("Bonjour")
    assert "Le corps." in text and "<p>Le corps.</p>" in rich
    assert "Communiqué de presse" in rich


def test_a_public_release_as_link_and_excerpt_has_no_embargo_notice(org: Organisation) -> None:
    made = newsroom_data.release(org, lead="Le chapeau du communiqué.")
    composer, row = one(
        org, kind=MailingKind.RELEASE, release=made, release_format=ReleaseFormat.LINK
    )
    text, rich = parts(parsed(composer.render(row)))
    assert "EMBARGO" not in text.upper()
    assert "Le chapeau du communiqué." in text
    assert (
        f"/newsroom/{org.slug}/{made.slug}/" in rich
        and f"/newsroom/{org.slug}/{made.slug}/" in text
    )


def test_preview_works_before_any_ledger(org: Organisation) -> None:
    mailing = data.mailing(org)
    person = data.contact(org)
    preview = Composer(mailing).preview(person)
    assert preview.subject == "Notre offre pour Ouest-France"
    assert "Jeanne Dupont" in preview.text and "Jeanne Dupont" in preview.html
    assert "/m/u/preview/" in preview.html
    assert not mailing.recipients.exists()


def test_tracking_is_off_by_default(org: Organisation) -> None:
    composer, row = one(org)
    _text, rich = parts(parsed(composer.render(row)))
    assert "/m/c/" not in rich and "/m/o/" not in rich
    assert 'href="https://example.org/offre"' in rich


def test_tracked_links_and_pixel_when_asked(org: Organisation) -> None:
    composer, row = one(org, track_clicks=True, track_opens=True)
    text, rich = parts(parsed(composer.render(row)))
    assert "/m/c/" in rich and "https://example.org/offre" not in rich
    assert "https://example.org/offre" in text  # the text part keeps the plain address
    assert re.search(r'<img src="[^"]*/m/o/[^"]+\.gif"', rich)
    assert "/m/u/" in rich  # the unsubscribe link is never rewritten
    assert composer.links == ["https://example.org/offre"]
