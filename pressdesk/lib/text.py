"""Text normalisation for matching: keep the original for display, match on a normalised copy."""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, chain, compress, repeat
from operator import add, sub
from typing import overload

# French elisions: "l'Équipe" matches "equipe", "d'Orange" matches "orange".
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w@.+'-]+")
_SPACES = re.compile(r"\s+")


_FOLD_FIRST = tuple(
    (char, value)
    for table in (_APOSTROPHES, _LIGATURES)
    for char, value in ((chr(code), str(v)) for code, v in table.items())
)
_COMMON_MARKS = re.compile("[\u0300-\u036f]+")  # the combining accents of Latin scripts


def fold(text: str) -> str:
    """Lower-case, strip accents, expand ligatures and unify apostrophes."""
    # C passes only: str.translate over a dict and a generator per character ran at 4 MB/s.
    for char, value in _FOLD_FIRST:
        if char in text:
            text = text.replace(char, value)
    text = text.casefold()
    if text.isascii():
        return text
    text = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not text.isascii():
        marks = [ord(char) for char in set(text) if unicodedata.combining(char)]
        if marks:
            text = text.translate(dict.fromkeys(marks))
    return text


def normalise(text: str) -> str:
    """The matching form of a text: folded, elisions stripped, punctuation turned into spaces."""
    text = _ELISION.sub("", fold(text))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def words(text: str) -> list[str]:
    """The normalised words of a text, for search indexes and queries."""
    return [w for w in re.split(r"[^\w]+", normalise(text)) if w]


def normalise_email(address: str) -> str:
    """The comparable form of an email address: trimmed and lower-cased as a whole.

    The local part is case-sensitive in theory, but no real mail system treats it so, and
    "Marie.Dupont@" and "marie.dupont@" are the same journalist for a press office.
    """
    return address.strip().strip("<>").strip().lower()


_SEARCH_SPLIT = re.compile(r"[\W_]+")


def search_words(text: str) -> list[str]:
    """The words full-text search sees: normalised, then split on anything but letters and digits.

    Emails and hyphenated names become word sequences ("marie.dupont@ouest-france.fr" gives
    marie dupont ouest france fr), so SQLite FTS5 and PostgreSQL's parser tokenise them alike.
    """
    return [w for w in _SEARCH_SPLIT.split(normalise(text)) if w]


def search_text(*parts: str) -> str:
    """The text to index for these parts: their search words, separated by single spaces."""
    return " ".join(w for part in parts if part for w in search_words(part))


# --- The matching form, with a map back to the original (monitoring highlights) ---------------
#
# Monitoring matches watch queries on a normalised copy of each article and highlights what it
# found in the original, so the normalisation must say where each of its characters came from.
# A character-by-character Python loop runs at about 5 MB/s; this does the work in C passes
# (str.replace, bytes.translate, one regex) instead, which keeps it above 50 MB/s on French and
# English news (docs/benchmarks.md):
#   1. each character becomes exactly one: Latin-1 through bytes.translate, the usual others
#      (’ “ — …) through str.replace, rarer ones through a codec error handler; œ, æ and ß stay
#      one character (a stand-in) until the end;
#   2. elided articles and apostrophes become spaces, then runs of spaces become one: Python
#      sees only the runs of two or more spaces;
#   3. the stand-ins are expanded (œ → oe), which is the only step that shifts positions.
# Text in other scripts, or with combining accents, takes a general path that is slower
# (str.translate over a dict) but gives the same result.

ELIDED = frozenset(
    {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)
_APOSTROPHE_CHARS = "'’‘ʼ`´′"


def _match_char(char: str) -> str:
    """What one character becomes in the matching form: folded letters and digits, ', or space."""
    if unicodedata.combining(char):
        return ""
    if char in _APOSTROPHE_CHARS:
        return "'"
    decomposed = unicodedata.normalize("NFKD", char.translate(_LIGATURES).casefold())
    value = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    # A separator is one space however it decomposes ("…" is three dots): keeps it one for one.
    return " " if value and not value.strip() else value


class _MatchTable(dict[int, str]):
    """str.translate's table for the matching form, filled in as characters are met."""

    def __init__(self) -> None:
        super().__init__()
        # Characters that do not become exactly one; the regex finding them follows the set.
        self.irregular: set[str] = set()
        self._irregular_re: re.Pattern[str] | None = None
        for code in range(0x250):  # Latin-1 and Latin Extended: most of what French news uses
            self[code]

    def __missing__(self, code: int) -> str:
        value = _match_char(chr(code))
        self[code] = value
        if len(value) != 1:
            self.irregular.add(chr(code))
            self._irregular_re = None
        return value

    def irregular_re(self) -> re.Pattern[str]:
        """A regex finding any character known not to become exactly one."""
        if self._irregular_re is None:
            chars = "".join(sorted(self.irregular))
            self._irregular_re = re.compile("[" + re.escape(chars) + "]")
        return self._irregular_re


_MATCH_TABLE = _MatchTable()

# Stand-ins for the characters that expand, kept one character wide until the end. œ and Œ are
# outside Latin-1 and borrow 0x9C (œ in cp1252); a text holding that control character itself
# takes the general path.
_STAND_IN = "\x9c"
_EXPANSIONS = {chr(code): _MATCH_TABLE[code] for code in range(256) if len(_MATCH_TABLE[code]) > 1}
_EXPANSIONS[_STAND_IN] = "oe"
# Latin-1 characters whose form lies outside it (µ is μ): the general path takes them.
_OUTSIDE = "".join(
    chr(code) for code in range(256) if len(v := _MATCH_TABLE[code]) == 1 and ord(v) > 255
)
_LATIN1_TABLE = bytes(
    ord(_MATCH_TABLE[code])
    if len(_MATCH_TABLE[code]) == 1 and chr(code) not in _OUTSIDE
    else ord(chr(code).lower()[:1])
    if chr(code) in _EXPANSIONS  # ß, æ, ½ are their own
    else ord(" ")  # stand-in, expanded at the end; Æ is æ's
    for code in range(256)
)
_LATIN1_TABLE = _LATIN1_TABLE[:0x9C] + b"\x9c" + _LATIN1_TABLE[0x9D:]
# The commonest characters outside Latin-1 in French news, replaced before encoding.
_COMMON_WIDE = tuple(
    (char, _STAND_IN if char in "œŒ" else _MATCH_TABLE[ord(char)])
    for char in "’œ—–…“”‘Œ\u202f\u2009\u2019"
)


class _NotLatin(Exception):
    """A character whose matching form is not one Latin-1 character: take the general path."""


def _fold_error_handler(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the matching form of a run of rarer characters outside Latin-1."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start : error.end]
    folded = run.translate(_MATCH_TABLE)
    if len(folded) != len(run) or not all(ord(c) < 256 for c in folded):
        raise _NotLatin
    return folded, error.end


codecs.register_error("pressdesk-match-fold", _fold_error_handler)


def _fold_latin(text: str) -> str | None:
    """Each character's matching form, one for one with stand-ins; None if it is not Latin."""
    if "\x9c" in text or any(char in text for char in _OUTSIDE):
        return None
    for char, value in _COMMON_WIDE:
        if char in text:
            text = text.replace(char, value)
    try:
        encoded = text.encode("latin-1", "pressdesk-match-fold")
    except _NotLatin:
        return None
    return encoded.translate(_LATIN1_TABLE).decode("latin-1")


def _fold_generally(text: str) -> tuple[str, list[int]]:
    """Each character's matching form and where each came from, for any text."""
    pieces: list[str] = []
    sources: list[int] = []
    done = 0
    text.translate(_MATCH_TABLE)  # meets every character, so the irregular set is complete
    for found in _MATCH_TABLE.irregular_re().finditer(text):
        start = found.start()
        pieces.append(text[done:start].translate(_MATCH_TABLE))
        sources.extend(range(done, start))
        value = _MATCH_TABLE[ord(text[start])]
        pieces.append(value)
        sources.extend([start] * len(value))
        done = start + 1
    pieces.append(text[done:].translate(_MATCH_TABLE))
    sources.extend(range(done, len(text) + 1))  # and one past the end
    return "".join(pieces), sources


# Positions as ready-made int objects: slicing this list copies pointers, where range() would
# allocate an int per character, the most expensive step otherwise. It grows to the longest
# text seen, up to 256K characters (9 MB); beyond that, range() does.
_POSITIONS: list[int] = list(range(16384))
_POSITIONS_CAP = 1 << 18


def _positions(start: int, stop: int) -> list[int] | range:
    """The positions start…stop-1, preferably from the ready-made ones."""
    if stop > len(_POSITIONS):
        if stop > _POSITIONS_CAP:
            return range(start, stop)
        _POSITIONS.extend(range(len(_POSITIONS), max(stop, 2 * len(_POSITIONS))))
    return _POSITIONS[start:stop]


class OffsetMap(Sequence[int]):
    """Where each character of a matching form came from in the original, stored compactly.

    The form is made of stretches copied from the original in order (a word, or words and their
    single spaces), so the map keeps where each stretch starts on both sides instead of one
    integer per character: offset(n) = origin + (n - start) for the stretch holding n.
    """

    __slots__ = ("_folded", "_length", "_origins", "_starts")

    def __init__(self, starts: list[int], origins: list[int], length: int) -> None:
        self._starts = starts  # where each stretch starts in the form, ascending, first 0
        self._origins = origins  # where it starts in the original
        self._length = length  # the form's length plus one (the end of the last word)
        self._folded: str | None = None

    @classmethod
    def deferred(cls, folded: str, length: int) -> OffsetMap:
        """The map of a Latin text's form, worked out from its folded text on first use.

        Most articles match no watch query and are never highlighted: their map is not made.
        """
        offsets = cls([], [], length)
        offsets._folded = folded
        return offsets

    def _ready(self) -> None:
        """Work out a deferred map's stretches."""
        if self._folded is not None:
            _normalised, self._starts, self._origins = _collapse(self._folded)
            self._folded = None

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if type(index) is int and 0 <= index < self._length and self._folded is None:
            # The matcher's case: a position in range of a map already worked out.
            stretch = bisect_right(self._starts, index) - 1
            return self._origins[stretch] + index - self._starts[stretch]
        if isinstance(index, slice):
            return self.to_list()[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        if self._folded is not None:
            self._ready()
        stretch = bisect_right(self._starts, index) - 1
        return self._origins[stretch] + index - self._starts[stretch]

    def stretches(self) -> tuple[list[int], list[int]]:
        """Where each stretch starts in the form, and in the original."""
        self._ready()
        return self._starts, self._origins

    def to_list(self) -> list[int]:
        """One original index per character of the form, and the end."""
        self._ready()
        stops = [*self._starts[1:], self._length]
        ends = [
            origin + stop - start
            for origin, start, stop in zip(self._origins, self._starts, stops, strict=True)
        ]
        return list(chain.from_iterable(map(_positions, self._origins, ends)))

    @classmethod
    def from_list(cls, offsets: list[int]) -> OffsetMap:
        """The compact form of a full map."""
        starts: list[int] = []
        origins: list[int] = []
        expected = -1
        for index, origin in enumerate(offsets):
            if origin != expected:
                starts.append(index)
                origins.append(origin)
            expected = origin + 1
        return cls(starts or [0], origins or [0], len(offsets))


_SPACE_RUNS = re.compile("  +")
_STAND_INS = re.compile("[" + re.escape("".join(_EXPANSIONS)) + "]")


def _has_stand_ins(normalised: str) -> bool:
    """Whether a form holds stand-ins: one memchr-like scan per kind beats a regex search."""
    return not normalised.isascii() and any(char in normalised for char in _EXPANSIONS)


def _split_at_stand_ins(normalised: str) -> list[str]:
    """_STAND_INS.split(normalised), found with str.find: a text has a few stand-ins at most."""
    at: list[int] = []
    for char in _EXPANSIONS:
        found = normalised.find(char)
        while found >= 0:
            at.append(found)
            found = normalised.find(char, found + 1)
    at.sort()
    pieces = []
    done = 0
    for position in at:
        pieces.append(normalised[done:position])
        done = position + 1
    pieces.append(normalised[done:])
    return pieces


def _blank_elisions(text: str) -> str:
    """The text with elided articles and all apostrophes turned into spaces, one for one.

    An elided article is the word just before an apostrophe, after a space or another
    apostrophe ("l'", "qu'", and both in "jusqu'à l'"), so splitting at the apostrophes leaves
    one Python step per apostrophe.
    """
    pieces = text.split("'")
    last = pieces.pop()
    blanked = [
        piece[: len(piece) - len(word)] + " " * len(word)
        if (word := piece[piece.rfind(" ") + 1 :]) in ELIDED
        else piece
        for piece in pieces
    ]
    blanked.append(last)
    return " ".join(blanked)


def _collapse(folded: str) -> tuple[str, list[int], list[int]]:
    """Drop elided articles and apostrophes, make each run of separators one space, expand œ.

    Returns the form and its stretches (where each starts in the form and in `folded`). Every
    step but the last is a C pass that keeps positions (str.replace with as many spaces), then
    re.split cuts the text at the runs of spaces and the stretches are read off the lengths of
    the pieces with accumulate: Python takes no step per word or per separator.
    """
    end = len(folded.rstrip(" '"))
    # A leading space makes an elision at the start look like any other.
    text = " " + folded[:end]
    if "'" in text:
        text = _blank_elisions(text)
    core = text.lstrip(" ")
    if not core:
        return "", [0], [end]
    lead = len(text) - len(core) - 1
    # Cut at every two spaces: a run of three leaves a space at the start of the next piece, a
    # run of four an empty piece; lstrip and compress (both in C) take them away.
    pieces = core.split("  ")
    lengths = list(map(len, pieces))
    kept = list(map(str.lstrip, pieces, repeat(" ")))
    kept_lengths = list(map(len, kept))
    # Each piece starts two (the cut) after the end of the one before.
    at_original = accumulate(map(add, lengths, repeat(2)), initial=lead)
    origins = list(map(add, at_original, map(sub, lengths, kept_lengths)))
    if "" in kept:
        origins = list(compress(origins, kept_lengths))
        kept = list(compress(kept, kept_lengths))
        kept_lengths = list(compress(kept_lengths, kept_lengths))
    normalised = " ".join(kept)
    starts = list(accumulate(map(add, kept_lengths, repeat(1)), initial=0))
    starts.pop()
    if _has_stand_ins(normalised):
        return _expand_stand_ins(normalised, starts, origins)
    return normalised, starts, origins


def _expand_stand_ins(
    normalised: str, starts: list[int], origins: list[int]
) -> tuple[str, list[int], list[int]]:
    """Expand œ, æ, ß … from their one-character stand-ins, each letter mapped to the original.

    A stand-in at n expanding to k letters maps all k to its own origin: the stretches after it
    move k - 1 along, and stretches are added for its other letters and for the letter after.
    """
    pieces = _split_at_stand_ins(normalised)
    new_starts: list[int] = []
    new_origins: list[int] = []
    values: list[str] = []
    shift = 0
    done = 0  # the stretches before this one are in the new lists
    at = -1
    for piece in pieces[:-1]:
        at += len(piece) + 1  # where the stand-in is in the form before expansion
        value = _EXPANSIONS[normalised[at]]
        values.append(value)
        # Stretches starting at or before the stand-in move by the shift so far.
        cut = bisect_right(starts, at, done)
        new_starts.extend(map(add, starts[done:cut], repeat(shift)))
        new_origins.extend(origins[done:cut])
        origin = origins[cut - 1] + at - starts[cut - 1]
        for extra in range(1, len(value)):
            new_starts.append(at + shift + extra)
            new_origins.append(origin)
        shift += len(value) - 1
        if cut == len(starts) or starts[cut] != at + 1:
            new_starts.append(at + 1 + shift)
            new_origins.append(origin + 1)
        done = cut
    new_starts.extend(map(add, starts[done:], repeat(shift)))
    new_origins.extend(origins[done:])
    joined = pieces[:] + pieces[:-1]
    joined[0::2] = pieces
    joined[1::2] = values
    return "".join(joined), new_starts, new_origins


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The matching form of a text and, for each of its characters, its index in the original.

    The form is case-folded, without accents, with œ/æ expanded, ’ read as ', elided articles
    (l’, d’, qu’ …) dropped, and every run of punctuation, hyphens and spaces turned into one
    space, so "l’Orange" gives "orange" and "Saint-Étienne" gives "saint etienne". The map has
    one entry more than the form: a span [s, e) of the form is original[map[s]:map[e]] (a
    space maps to the start of the separator it stands for, the last entry to the end of the
    last word).
    """
    normalised, offsets = normalise_mapped(text, deferred=False)
    return normalised, offsets.to_list()


def normalise_mapped(text: str, *, deferred: bool = True) -> tuple[str, OffsetMap]:
    """normalise_with_offsets() with the map in its compact form, as the matcher uses it.

    The map of a Latin text is worked out when first read (deferred), which costs as much again
    as the form: the matcher reads it only for the articles a query matched.
    """
    sources: list[int] | None = None
    folded = _fold_latin(text)
    if folded is None:
        folded, sources = _fold_generally(text)
    if sources is not None or not deferred:
        normalised, starts, origins = _collapse(folded)
        offsets = OffsetMap(starts, origins, len(normalised) + 1)
        if sources is None:
            return normalised, offsets
        return normalised, OffsetMap.from_list([sources[i] for i in offsets.to_list()])
    normalised = _form(folded)
    return normalised, OffsetMap.deferred(folded, len(normalised) + 1)


def _form(folded: str) -> str:
    """What _collapse() gives, without the stretches: C passes only, the fastest we found."""
    text = folded[: len(folded.rstrip(" '"))]
    if "'" in text:
        # The same as _blank_elisions() without keeping lengths: fewer spaces to collapse.
        pieces = (" " + text).split("'")
        last = pieces.pop()
        dropped = [
            piece[: len(piece) - len(word)]
            if (word := piece[piece.rfind(" ") + 1 :]) in ELIDED
            else piece
            for piece in pieces
        ]
        dropped.append(last)
        text = " ".join(dropped)
    normalised = _SPACE_RUNS.sub(" ", text).strip(" ")
    if _has_stand_ins(normalised):
        for char, value in _EXPANSIONS.items():
            if char in normalised:
                normalised = normalised.replace(char, value)
    return normalised
