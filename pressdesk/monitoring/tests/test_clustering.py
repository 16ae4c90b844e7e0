"""Near-duplicate clustering through the database (clustering.assign_many, as a batch of the
pipeline runs it): the same stories as the in-memory clustering and as assign() one by one,
each organisation apart, a worker's stored bands seen by the next, the band index used."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import clustering
from pressdesk.monitoring.models import Story, StoryBand

BATCH = 40


def _corpus(count: int = 240, seed: int = 3) -> list[tuple[list[str], str]]:
    """Articles as (words, title): 80-word texts, one in three a near copy (two words changed)
    of one of the last 60, so copies fall in the same batch as their original and in later ones.
    """
    rng = random.Random(seed)
    vocabulary = [f"mot{n}" for n in range(3000)]
    texts: list[list[str]] = []
    for _article in range(count):
        if texts and rng.random() < 1 / 3:
            words = list(rng.choice(texts[-60:]))
            for _change in range(2):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
        else:
            words = [rng.choice(vocabulary) for _word in range(80)]
        texts.append(words)
    return [(words, f"Article {n}") for n, words in enumerate(texts)]


def _in_memory(corpus: list[tuple[list[str], str]]) -> list[int]:
    """Each article's story by the rule of clustering.assign, with a dict for the database."""
    index: dict[tuple[int, str], int] = {}
    chosen: list[int] = []
    for words, _title in corpus:
        keys = clustering.band_keys(words)
        hits = Counter(s for pair in enumerate(keys) if (s := index.get(pair)) is not None)
        if hits:
            chosen.append(hits.most_common(1)[0][0])
        else:
            chosen.append(len(chosen))
            for pair in enumerate(keys):
                index[pair] = chosen[-1]
    return chosen


def _grouping(stories: list[int]) -> list[int]:
    """Each article's story renumbered by first appearance, to compare two clusterings."""
    numbers: dict[int, int] = {}
    return [numbers.setdefault(story, len(numbers)) for story in stories]


def _assign_many(org: Organisation, corpus: list[tuple[list[str], str]]) -> list[int]:
    chosen: list[int] = []
    for start in range(0, len(corpus), BATCH):
        batch = corpus[start : start + BATCH]
        with transaction.atomic():
            chosen += clustering.assign_many(
                org.pk, [(clustering.band_keys(w), title) for w, title in batch]
            )
    return chosen


def test_it_groups_articles_as_the_in_memory_clustering_and_assign_do(
    org: Organisation, other_org: Organisation
) -> None:
    corpus = _corpus()
    chosen = _assign_many(org, corpus)
    expected = _grouping(_in_memory(corpus))
    assert _grouping(chosen) == expected
    # The corpus has copies joining a story within their batch and from an earlier batch.
    firsts = {story: n for n, story in reversed(list(enumerate(chosen)))}
    joined = [(firsts[s] // BATCH, n // BATCH) for n, s in enumerate(chosen) if firsts[s] != n]
    assert any(a == b for a, b in joined) and any(a < b for a, b in joined)
    # The one-by-one path (pipeline._run_each, when a bulk write failed): the same stories.
    one_by_one = []
    for start in range(0, len(corpus), BATCH):
        bands = clustering.Bands()
        for words, title in corpus[start : start + BATCH]:
            story = clustering.assign(other_org.pk, words, title, bands, count=True)
            one_by_one.append(story.pk)
        bands.flush()
    assert _grouping(one_by_one) == expected
    # Each story: its first article's title, one appearance an article, 16 bands.
    stories = Story.objects.for_org(org).in_bulk()
    assert set(stories) == set(chosen)
    sizes = Counter(chosen)
    for story_id, story in stories.items():
        assert story.title == corpus[firsts[story_id]][1]
        assert story.appearance_count == sizes[story_id]
    bands = Counter(StoryBand.objects.for_org(org).values_list("story_id", flat=True))
    assert bands == {story_id: clustering.BANDS for story_id in stories}


def test_it_keeps_each_organisations_stories_apart(
    org: Organisation, other_org: Organisation
) -> None:
    words = _corpus(1)[0][0]
    keys = clustering.band_keys(words)
    mine = clustering.assign_many(org.pk, [(keys, "Acme")])
    theirs = clustering.assign_many(other_org.pk, [(keys, "Other")])
    again = clustering.assign_many(org.pk, [(keys, "Acme again")])
    assert mine == again != theirs
    assert Story.objects.for_org(org).get().appearance_count == 2
    assert Story.objects.for_org(other_org).get().appearance_count == 1


def test_it_runs_a_batch_in_a_handful_of_queries_whatever_its_size(org: Organisation) -> None:
    corpus = _corpus(200)
    _assign_many(org, corpus[:100])
    batch = [(clustering.band_keys(w), title) for w, title in corpus[100:]]
    with CaptureQueriesContext(connection) as queries:
        clustering.assign_many(org.pk, batch)
    # The lock (PostgreSQL), band lookup (16 keys an article, 900 a query), stories, bands,
    # appearance counts.
    assert len(queries) <= 1 + 4 + 1 + 1 + 3


def test_it_looks_each_key_up_in_the_band_index(org: Organisation) -> None:
    corpus = _corpus(120)
    _assign_many(org, corpus[:80])
    keys = {pair for w, _t in corpus[80:] for pair in enumerate(clustering.band_keys(w))}
    with CaptureQueriesContext(connection) as queries:
        clustering._known_bands(org.pk, keys)
    (lookup,) = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {lookup}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "INDEX monitoring_band_key_org (key=? AND org_id=?)" in plan
            assert "SCAN" not in plan
        else:
            # On a table this small a sequential scan is as good; what matters is that the
            # index answers the keys when the planner wants an index, stale statistics or not.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {lookup}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "monitoring_band_key_org" in plan
            assert "Index Cond: (((key)::text = ANY" in plan


@pytest.mark.parametrize("copy_in_second", [True, False])
def test_it_joins_the_story_a_worker_stored_before_another_runs(
    flushable_db: None, copy_in_second: bool
) -> None:
    org = Organisation.objects.create(name="Race", slug="race")
    words = _corpus(1)[0][0]
    copy = list(words)
    copy[10] = "changé"
    second_words = copy if copy_in_second else _corpus(2, seed=9)[1][0]
    results: dict[str, list[int]] = {}
    failures: list[BaseException] = []

    def worker(name: str, text: list[str]) -> None:
        # Its own thread, so its own connection: it sees only what the other one committed.
        try:
            with transaction.atomic():
                results[name] = clustering.assign_many(org.pk, [(clustering.band_keys(text), name)])
        except BaseException as exc:  # handed back to the test's thread
            failures.append(exc)
        finally:
            connection.close()

    for name, text in (("first", words), ("second", second_words)):
        thread = threading.Thread(target=worker, args=(name, text))
        thread.start()
        thread.join()
    assert failures == []
    stories: Any = Story.objects.for_org(org).order_by("pk")
    if copy_in_second:
        assert results["first"] == results["second"]
        assert [(s.title, s.appearance_count) for s in stories] == [("first", 2)]
    else:
        assert results["first"] != results["second"]
        assert [(s.title, s.appearance_count) for s in stories] == [("first", 1), ("second", 1)]


WAIT_SECONDS = 30.0


class Workers:
    """Workers clustering copies of one wire story for one organisation, each in its own thread,
    so on its own connection: it sees only what the others committed."""

    def __init__(self, org: Organisation) -> None:
        words = _corpus(1)[0][0]
        copy = list(words)
        copy[10] = "changé"
        self.org = org
        self.texts = {"A": words, "B": copy}
        self.results: dict[str, list[int]] = {}
        self.inside: list[str] = []  # the workers whose transaction began, in order
        self.failures: list[BaseException] = []
        self.a_ready = threading.Event()
        self.a_commit = threading.Event()

    def start(self, name: str, hold: bool = False) -> threading.Thread:
        """A worker running assign_many in a transaction; with `hold`, it waits for a_commit
        before committing."""
        thread = threading.Thread(target=self._run, args=(name, hold))
        thread.start()
        return thread

    def _run(self, name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                self.inside.append(name)
                keys = clustering.band_keys(self.texts[name])
                self.results[name] = clustering.assign_many(self.org.pk, [(keys, name)])
                if hold:
                    self.a_ready.set()
                    assert self.a_commit.wait(WAIT_SECONDS), "never told to commit"
        except BaseException as exc:  # handed back to the test's thread
            self.failures.append(exc)
        finally:
            self.a_ready.set()
            connection.close()

    def stories(self) -> list[tuple[str, int]]:
        """The organisation's stories as (title, appearances)."""
        stories: Any = Story.objects.for_org(self.org).order_by("pk")
        return [(s.title, s.appearance_count) for s in stories]


def _waiting_on_the_lock(org: Organisation, worker: threading.Thread) -> bool:
    """Whether a backend is seen waiting on the organisation's clustering lock before the
    worker is done (without the lock it never waits) or the time is up."""
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while worker.is_alive() and time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname ="
                " current_database()) AND classid = %s::oid AND objid = %s::oid"
                " AND objsubid = 2",
                [clustering.LOCK_NAMESPACE, org.pk],
            )
            if cursor.fetchone()[0]:
                return True
    return False


def test_it_makes_one_story_of_a_wire_copy_clustered_in_overlapping_transactions(
    flushable_db: None,
) -> None:
    # Two workers polling feeds that carry the same AFP copy at the same moment: B's lookup
    # must wait for A's commit, or it misses A's uncommitted bands and starts a second story.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite's IMMEDIATE transaction is the next test")
    workers = Workers(Organisation.objects.create(name="Wire", slug="wire"))
    a = workers.start("A", hold=True)
    try:
        assert workers.a_ready.wait(WAIT_SECONDS)
        b = workers.start("B")
        try:
            waited = _waiting_on_the_lock(workers.org, b)
        finally:
            workers.a_commit.set()
            b.join(WAIT_SECONDS)
    finally:
        workers.a_commit.set()
        a.join(WAIT_SECONDS)
    assert workers.failures == []
    assert workers.stories() == [("A", 2)]
    assert workers.results["A"] == workers.results["B"]
    assert waited


def test_it_lets_no_second_sqlite_transaction_begin_while_a_batch_clusters(
    flushable_db: None,
) -> None:
    # SQLite needs no lock of ours: the batch transaction is IMMEDIATE, so it holds the write
    # lock from BEGIN and a second worker cannot begin, let alone look bands up, before the
    # first commits. (A file database makes B wait out the busy timeout; the tests' shared
    # in-memory database refuses B at once, which shows the same thing without timing.)
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's IMMEDIATE transactions; PostgreSQL's lock is the test before")
    workers = Workers(Organisation.objects.create(name="Wire", slug="wire"))
    a = workers.start("A", hold=True)
    try:
        assert workers.a_ready.wait(WAIT_SECONDS)
        b = workers.start("B")
        b.join(WAIT_SECONDS)
    finally:
        workers.a_commit.set()
        a.join(WAIT_SECONDS)
    (refused,) = workers.failures
    assert isinstance(refused, OperationalError) and "locked" in str(refused)
    assert workers.inside == ["A"]  # B never began: it looked nothing up
    workers.failures.clear()
    again = workers.start("B")  # B's retry, as the task queue would run it
    again.join(WAIT_SECONDS)
    assert workers.failures == []
    assert workers.inside == ["A", "B"]
    assert workers.stories() == [("A", 2)]
    assert workers.results["A"] == workers.results["B"]
