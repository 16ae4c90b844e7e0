"""The acceptance harness: Pressdesk run over the public corpora in PRESSDESK_CORPUS.

pytest-django is configured by pyproject.toml (DJANGO_SETTINGS_MODULE), so tests here can use
`db` and the shared fixtures below just as the unit tests do.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The unit tests' users and organisations (alice, bob, org…), for acceptance tests to reuse.
from pressdesk.conftest import *  # noqa: F403

ROOT = Path(__file__).resolve().parent.parent


def corpus_root() -> Path:
    """PRESSDESK_CORPUS, relative to the repository's root (default ../shared/data)."""
    return (ROOT / os.environ.get("PRESSDESK_CORPUS", "../shared/data")).resolve()


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder; a missing corpus fails loudly rather than skipping everything."""
    root = corpus_root()
    assert root.is_dir(), f"no corpus at {root}: set PRESSDESK_CORPUS"
    return root


@pytest.fixture(scope="session")
def corpus_sets(corpus: Path) -> list[Path]:
    """Every data set in the corpus: a folder with an ORIGIN.source file."""
    return sorted(origin.parent for origin in corpus.rglob("ORIGIN.source"))
