"""The corpora that `make acceptance` runs over are there, each with its origin and licence."""

from __future__ import annotations

from pathlib import Path

from pressdesk.accounts.models import Organisation

EXPECTED = {
    "feeds/feedparser",
    "feeds/w3c-feedvalidator",
    "feeds/rss-parser",
    "articles/zyte-benchmark",
    "contacts/ez-vcard",
    "mentions/europeana-fr",
}


def test_it_finds_every_corpus_set(corpus: Path, corpus_sets: list[Path]) -> None:
    found = {s.relative_to(corpus).as_posix() for s in corpus_sets}
    print("\n".join(f"corpus set: {name}" for name in sorted(found)))
    assert not EXPECTED - found, f"missing corpus sets: {sorted(EXPECTED - found)}"


def test_it_finds_origin_commit_and_licence_for_each_set(corpus_sets: list[Path]) -> None:
    for data_set in corpus_sets:
        for name in ("ORIGIN.source", "COMMIT.source", "LICENSE.source"):
            assert (data_set / name).is_file(), f"{data_set} has no {name}"
        assert any(p.is_file() and not p.name.endswith(".source") for p in data_set.rglob("*"))


def test_it_can_use_the_database_and_shared_fixtures(org: Organisation) -> None:
    # Later acceptance tests store what they import; this shows the harness allows it.
    assert Organisation.objects.get(slug="acme") == org
