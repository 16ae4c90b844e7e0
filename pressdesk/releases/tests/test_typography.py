from __future__ import annotations

import pytest

from pressdesk.lib.typography import NBSP, NNBSP, french_html, french_text


@pytest.mark.parametrize(
    ("raw", "france", "quebec"),
    [
        (
            "Note: 14h30 !",
            f"Note{NBSP}: 14{NBSP}h{NBSP}30{NNBSP}!",
            f"Note{NBSP}: 14{NBSP}h{NBSP}30!",
        ),
        (
            'Il dit "oui" ; non ?',
            f"Il dit «{NBSP}oui{NBSP}»{NNBSP}; non{NNBSP}?",
            f"Il dit «{NBSP}oui{NBSP}»; non?",
        ),
        ("l'eau à 9h", f"l’eau à 9{NBSP}h", f"l’eau à 9{NBSP}h"),
        ("https://a.fr/x?y=1 et 3:2", "https://a.fr/x?y=1 et 3:2", "https://a.fr/x?y=1 et 3:2"),
    ],
)
def test_it_sets_french_and_quebec_text(raw: str, france: str, quebec: str) -> None:
    assert french_text(raw) == france
    assert french_text(raw, quebec=True) == quebec
    assert french_text(france) == france  # idempotent


def test_it_leaves_tags_links_and_code_alone() -> None:
    html = '<p>Voir <a href="https://a.fr/?x=1">le site</a> : ok</p><pre><code>a: b ?</code></pre>'
    assert french_html(html) == (
        f'<p>Voir <a href="https://a.fr/?x=1">le site</a>{NBSP}: ok</p>'
        "<pre><code>a: b ?</code></pre>"
    )
