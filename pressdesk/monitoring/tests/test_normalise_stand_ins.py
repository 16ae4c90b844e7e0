"""The matching form's stand-ins (œ, æ, ß, ½ … kept one character wide until the end) are found
with str.find rather than a regex (pressdesk/lib/text.py): same pieces, same forms and maps."""

from __future__ import annotations

import random

from pressdesk.lib import text
from pressdesk.lib.text import normalise_with_offsets


def test_it_splits_at_stand_ins_as_the_regex_did() -> None:
    rng = random.Random(11)
    alphabet = ["a", "b", " ", *text._EXPANSIONS]
    for _ in range(5000):
        form = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert text._split_at_stand_ins(form) == text._STAND_INS.split(form), form
        assert text._has_stand_ins(form) == (text._STAND_INS.search(form) is not None), form


def test_it_maps_every_expanded_letter_to_its_stand_in() -> None:
    original = "Cœur, Æsop, Straße et ½ œuvre"
    form, offsets = normalise_with_offsets(original)
    assert form == "coeur aesop strasse et 1 2 oeuvre"
    # Both letters of an expansion come from the one character; the next from the one after.
    assert [original[offsets[i]] for i in range(1, 4)] == ["œ", "œ", "u"]
    assert original[offsets[form.index("ss")] : offsets[form.index(" et")]] == "ße"
    assert original[offsets[form.index("oeuvre")] : offsets[len(form)]] == "œuvre"
