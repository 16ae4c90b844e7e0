"""Properties of the matching form's offset map (pressdesk.lib.text), on random text.

The form is made in C passes and its map worked out later from the folded text (deferred): both
must agree with each other and with the promises normalise_with_offsets() makes.
"""

from __future__ import annotations

import random

import pytest

from pressdesk.lib.text import ELIDED, normalise_mapped, normalise_with_offsets

# Letters, accents (precomposed and combining), ligatures, elided articles with both
# apostrophes, separators of every kind, another script (not ½: one character, two words).
PIECES = [
    *"aeiouxyzAÉèçÇœŒæÆß-’'‘ ,.;:!?«»…—\u00a0\u202f\u0301Ωи0123456789",
    *(f"{word}'" for word in ELIDED),
    *(f"{word}’" for word in ELIDED),
    " l'",
    "  ",
    "Saint-Étienne",
    "jusqu’à",
]


def random_text(rng: random.Random) -> str:
    """A text of up to 40 random pieces."""
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(300))
def test_the_deferred_map_is_the_eager_one(seed: int) -> None:
    text = random_text(random.Random(seed))
    form, deferred = normalise_mapped(text)
    eager_form, eager = normalise_mapped(text, deferred=False)
    assert form == eager_form
    assert len(deferred) == len(eager) == len(form) + 1
    assert deferred.to_list() == eager.to_list() == normalise_with_offsets(text)[1]


@pytest.mark.parametrize("seed", range(300))
def test_every_span_maps_back_to_text_that_reads_as_it(seed: int) -> None:
    rng = random.Random(seed)
    text = random_text(rng)
    form, offsets = normalise_mapped(text)
    assert "  " not in form and form == form.strip()
    positions = [offsets[index] for index in range(len(offsets))]
    assert positions == sorted(positions)
    assert all(0 <= position <= len(text) for position in positions)
    words = form.split(" ") if form else []
    starts = [sum(len(word) + 1 for word in words[:index]) for index in range(len(words))]
    if not words:
        return
    # Any run of whole words maps back to original text whose form is those words.
    first = rng.randrange(len(words))
    last = rng.randrange(first, len(words))
    start, end = starts[first], starts[last] + len(words[last])
    original = text[offsets[start] : offsets[end]]
    wanted = " ".join(words[first : last + 1])
    assert normalise_with_offsets(original)[0].replace(" ", "") == wanted.replace(" ", "")


def test_a_map_read_by_index_is_worked_out_once() -> None:
    text = "L’Œuvre d’Æsop — jusqu’à « Saint-Étienne »… et Straße"
    form, offsets = normalise_mapped(text)
    assert form == "oeuvre aesop a saint etienne et strasse"
    start = form.index("aesop")
    assert text[offsets[start] : offsets[start + len("aesop")]] == "Æsop"
    assert offsets.stretches() == normalise_mapped(text, deferred=False)[1].stretches()
