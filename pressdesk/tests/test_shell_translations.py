"""The French catalogues are complete, compiled, typeset the French way, and actually used."""

from __future__ import annotations

import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login

PACKAGE = Path(settings.BASE_DIR) / "pressdesk"


def _installed(po: Path) -> bool:
    """Whether the catalogue's app is installed (the core runs without some modules)."""
    app = po.relative_to(PACKAGE).parts[0]
    return app == "locale" or f"pressdesk.{app}" in settings.INSTALLED_APPS


FR_CATALOGUES = sorted(p for p in PACKAGE.rglob("locale/fr/LC_MESSAGES/*.po") if _installed(p))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{ *(\w+) *\}\}")
# Words that are English in the interface and never right on a French page.
ENGLISH_WORDS = ["Log in", "Log out", "Team", "Dashboard", "Password", "Settings", "Search"]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file; a tiny parser, enough for what makemessages writes."""
    entries: list[Entry] = []
    entry, target = Entry(), ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            if entry.line:
                entries.append(entry)
            entry, target = Entry(), ""
            continue
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            target, entry.msgctxt = "msgctxt", _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            target, entry.msgid_plural = "msgid_plural", _unquote(line[13:])
        elif line.startswith("msgid "):
            target, entry.msgid, entry.line = "msgid", _unquote(line[6:]), number
        elif line.startswith("msgstr"):
            target = "msgstr"
            entry.msgstr.append(_unquote(line.split(" ", 1)[1]))
        elif line.startswith('"'):
            if target == "msgstr":
                entry.msgstr[-1] += _unquote(line)
            else:
                setattr(entry, target, getattr(entry, target) + _unquote(line))
    if entry.line:
        entries.append(entry)
    return entries


def _messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid]


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_there_are_french_catalogues() -> None:
    names = {_name(p) for p in FR_CATALOGUES}
    assert "pressdesk/locale/fr/LC_MESSAGES/django.po" in names
    assert "pressdesk/accounts/locale/fr/LC_MESSAGES/django.po" in names


def test_the_parser_reads_what_makemessages_writes(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgid "Hello "\n"%(name)s"\nmsgstr "Bonjour"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s jour"\n'
        'msgstr[1] ""\n',
        encoding="utf-8",
    )
    header, hello, days = parse_po(po)
    assert header.msgstr == ["Language: fr\n"]
    assert (hello.msgid, hello.msgstr, "fuzzy" in hello.flags) == (
        "Hello %(name)s",
        ["Bonjour"],
        True,
    )
    assert (days.msgid_plural, days.msgstr) == ("%(n)s days", ["%(n)s jour", ""])


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_every_entry_is_translated(po: Path) -> None:
    untranslated = [e.msgid for e in _messages(po) if not all(e.msgstr)]
    assert not untranslated, f"{_name(po)}: no French for {untranslated}"


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_no_entry_is_fuzzy(po: Path) -> None:
    # makemessages marks its guesses fuzzy; gettext ignores them, so the page stays English.
    fuzzy = [e.msgid or "(the header)" for e in parse_po(po) if "fuzzy" in e.flags]
    assert not fuzzy, f"{_name(po)}: check and unmark {fuzzy}"


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_placeholders_are_kept(po: Path) -> None:
    for e in _messages(po):
        expected = {m for m in PLACEHOLDER.findall(e.msgid_plural or e.msgid)}
        for text in e.msgstr:
            assert {m for m in PLACEHOLDER.findall(text)} == expected, (e.msgid, text)


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_french_typography(po: Path) -> None:
    # A no-break space before « : » and inside guillemets, a narrow one (or no-break) before
    # ; ! ? — else a line can break before the sign. Curly apostrophes, not typewriter ones.
    for e in _messages(po):
        for text in e.msgstr:
            assert not re.search(r" [:;!?»]|« ", text), f"ordinary space in {text!r}"
            assert not re.search(r"\w[;!?»]", text), f"no space before the sign in {text!r}"
            assert "'" not in text, f"typewriter apostrophe in {text!r}"


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_the_compiled_catalogue_is_up_to_date(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"run scripts/messages.sh: {_name(mo)} is missing"
    with mo.open("rb") as f:
        compiled = gnu_gettext.GNUTranslations(f)
    for e in _messages(po):
        if e.msgctxt and e.msgid_plural:
            found = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
        elif e.msgctxt:
            found = compiled.pgettext(e.msgctxt, e.msgid)
        elif e.msgid_plural:
            found = compiled.ngettext(e.msgid, e.msgid_plural, 1)
        else:
            found = compiled.gettext(e.msgid)
        assert found == e.msgstr[0], f"{_name(mo)} is stale: {e.msgid}"


@pytest.mark.parametrize("po", FR_CATALOGUES, ids=_name)
def test_our_translations_win(po: Path) -> None:
    # Django merges every catalogue into one; an app listed earlier in INSTALLED_APPS wins, so
    # Django's admin would otherwise turn our "Remove" into its "Enlever".
    with translation.override("fr"):
        for e in _messages(po):
            if e.msgctxt and e.msgid_plural:
                found = npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
            elif e.msgctxt:
                found = pgettext(e.msgctxt, e.msgid)
            elif e.msgid_plural:
                found = ngettext(e.msgid, e.msgid_plural, 1)
            else:
                found = gettext(e.msgid)
            assert found == e.msgstr[0], f"another catalogue wins for {e.msgid}"


class _Text(HTMLParser):
    """The words a French reader meets: text and labelling attributes, outside lang="en"."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skip = 0  # inside <script>, <style> or another language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other = tag in ("script", "style") or values.get("lang", "fr") != "fr"
        if tag not in self.VOID:
            self.stack.append((tag, other))
            self.skip += other
        if not self.skip and not other:
            for name in ("placeholder", "title", "aria-label", "alt", "data-confirm"):
                if values.get(name):
                    self.parts.append(str(values[name]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, other = self.stack.pop()
            self.skip -= other
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def french_text(html: str) -> str:
    """The visible and spoken text of a page, without its English-language parts."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _catalogue_sentences() -> list[str]:
    """English source strings of two words or more that French translates differently."""
    sentences = set()
    for po in FR_CATALOGUES:
        for e in _messages(po):
            if " " in e.msgid and e.msgstr[0] != e.msgid and "%" not in e.msgid:
                sentences.add(e.msgid)
    return sorted(sentences)


def test_french_text_skips_english_parts() -> None:
    html = '<p>Bonjour <button lang="en" title="Switch">EN</button> <span>Team</span></p>'
    assert french_text(html) == "Bonjour Team"


@pytest.fixture
def french_alice(client: Client, alice: User) -> Client:
    alice.language = "fr"
    alice.save()
    return login(client, alice)


PAGES = ["/o/acme/", "/o/acme/team/", "/o/acme/audit/", "/o/acme/settings/", "/accounts/profile/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_french_page_has_no_english(
    french_alice: Client, url: str, bob: User, org: Organisation
) -> None:
    r = french_alice.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert r["Content-Language"] == "fr"
    _assert_french(r.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_a_french_visitor_sees_french(url: str) -> None:
    r = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").get(url)
    assert r["Content-Language"] == "fr"
    _assert_french(r.content.decode())


def _assert_french(html: str) -> None:
    text = french_text(html)
    for word in ENGLISH_WORDS:
        assert not re.search(rf"\b{word}\b", text), f"“{word}” in: {text}"
    for sentence in _catalogue_sentences():
        assert sentence not in text, f"untranslated “{sentence}” in: {text}"
