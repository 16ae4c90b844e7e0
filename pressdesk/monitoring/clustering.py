"""Near-duplicate clustering: MinHash signatures (rensa), LSH bands kept in the database.

An article's word 3-shingles give a 128-value signature, cut into 16 bands of 8 values: two
articles whose shingle sets are about 70 % alike share a band with high probability. The bands
of each story's first article are stored (StoryBand), so every worker sees one index; a new
article joins the story it shares most bands with, or starts a new one.

Workers cluster an organisation's articles one transaction at a time (`serialise`): two
workers given copies of the same wire story at once would otherwise each miss the other's
uncommitted bands and start two stories.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.db import connections, router
from django.db.models import F
from django.utils.timezone import now
from rensa import RMinHash

from pressdesk.monitoring import bulk
from pressdesk.monitoring.models import Story, StoryBand

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 42
SHINGLE = 3
# Any constant: the first half of the two-int advisory lock key, the organisation the second.
# (mailings.sending's rate lock uses the one-bigint form, a separate key space.)
LOCK_NAMESPACE = 0x434C5354


def shingles(words: list[str]) -> list[str]:
    """The word n-grams of a text (the whole text if shorter)."""
    if len(words) <= SHINGLE:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def band_keys(words: list[str]) -> list[str]:
    """The LSH band keys of a text given as normalised words; empty for an empty text."""
    grams = shingles(words)
    if not grams:
        return []
    signature = RMinHash(num_perm=NUM_PERM, seed=SEED)
    signature.update(grams)
    digest = signature.digest()
    keys = []
    for band in range(BANDS):
        values = digest[band * ROWS : (band + 1) * ROWS]
        raw = b"".join(int(v).to_bytes(4, "little") for v in values)
        keys.append(hashlib.blake2b(raw, digest_size=16).hexdigest())
    return keys


def serialise(org_id: int) -> None:
    """Make the caller's transaction the organisation's only clustering one until it ends.

    On PostgreSQL a transaction-scoped advisory lock: a second worker waits here until the
    first commits, then its lookup sees the bands the first stored. Taking it again in the
    same transaction costs a round trip and nothing else. Ids beyond 2**31 share a lock with
    another organisation: more waiting, never a wrong story. On SQLite the batch transaction
    is IMMEDIATE (settings: "transaction_mode"), so it holds the database's write lock from
    BEGIN: a second writer cannot begin, let alone look bands up, until the first commits.
    Outside a transaction (autocommit) the lock would end with its statement: the caller's
    transaction is what makes the lookup and the writes one step.
    """
    connection = connections[router.db_for_write(StoryBand)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, org_id % 2**31])


class Bands:
    """The bands of the stories a batch creates, written with one INSERT when it ends.

    Later articles of the batch look here as well as in the database, so they join a story
    an earlier one started. undo() forgets what an article added when its savepoint rolls back.
    """

    def __init__(self) -> None:
        self.rows: list[StoryBand] = []
        self.stories: dict[int, Story] = {}

    def mark(self) -> int:
        """Where the rows stand now, to undo back to."""
        return len(self.rows)

    def undo(self, mark: int) -> None:
        """Forget the rows added since the mark."""
        for row in self.rows[mark:]:
            self.stories.pop(row.story_id, None)
        del self.rows[mark:]

    def hits(self, keys: list[str]) -> Counter[int]:
        """How many bands each story of the batch shares with these keys."""
        wanted = set(enumerate(keys))
        return Counter(row.story_id for row in self.rows if (row.band, row.key) in wanted)

    def flush(self) -> None:
        """Write the rows."""
        StoryBand.objects.bulk_create(self.rows)
        self.rows = []


def assign(
    org_id: int, words: list[str], title: str, bands: Bands | None = None, *, count: bool = False
) -> Story:
    """The story this article belongs to, created (with its bands) if it is new.

    With `count`, the story's appearance count goes up by one (a new story starts at one).
    """
    keys = band_keys(words)
    serialise(org_id)
    if keys:
        hits: Counter[int] = Counter()
        # One query for all bands, answered by the (key, org) index: keys are 128-bit
        # hashes, the band is checked here.
        wanted = set(enumerate(keys))
        rows = StoryBand.objects.for_org(org_id).filter(key__in=keys)
        for band, key, story_id in rows.values_list("band", "key", "story_id"):
            if (band, key) in wanted:
                hits[story_id] += 1
        if bands is not None:
            hits.update(bands.hits(keys))
        if hits:
            story_id = hits.most_common(1)[0][0]
            if count:
                Story.objects.for_org(org_id).filter(pk=story_id).update(
                    appearance_count=F("appearance_count") + 1
                )
            return Story.objects.for_org(org_id).get(pk=story_id)
    story = Story.objects.for_org(org_id).create(title=title[:500], appearance_count=int(count))
    new = [StoryBand(org_id=org_id, story=story, band=b, key=k) for b, k in enumerate(keys)]
    if bands is None:
        StoryBand.objects.bulk_create(new)
    else:
        bands.rows += new
        bands.stories[story.pk] = story
    return story


# Band keys per lookup query: under SQLite's default limit of 999 parameters.
LOOKUP_CHUNK = 900


def _known_bands(org_id: int, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], list[int]]:
    """The stories already stored under each of these (band, key) pairs, in few queries.

    Plain SQL scoped by organisation, as for_org() would scope it: the ORM's compiling of
    thousands of parameters cost more than the lookup itself. The keys probe the (key, org)
    index and the band is checked here: with the band in the query, SQLite walked every band of
    the organisation, and PostgreSQL (on statistics older than the table) every row of a band.
    """
    found: dict[tuple[int, str], list[int]] = {}
    keys = sorted({key for _band, key in wanted})
    if not keys:
        return found
    connection = connections[router.db_for_write(StoryBand)]
    band, key, story, org = (bulk.column(StoryBand, n) for n in ("band", "key", "story", "org"))
    select = f"SELECT {band}, {key}, {story} FROM {bulk.table(StoryBand)}"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{select} WHERE {org} = %s AND {key} IN ({marks})", [org_id, *chunk])
            for row_band, row_key, story_id in cursor.fetchall():
                if (row_band, row_key) in wanted:
                    found.setdefault((row_band, row_key), []).append(story_id)
    return found


def assign_many(org_id: int, articles: list[tuple[list[str], str]]) -> list[int]:
    """The story of each article given as (band keys, title), in order, each counted once.

    What assign() does article by article, for a batch in a handful of queries: one lookup of
    the stored bands for every article, new stories and their bands written with one INSERT
    each, and the appearance counts of known stories raised with one UPDATE per increment. A
    later article of the batch joins a story an earlier one started, as with assign().
    """
    serialise(org_id)
    known = _known_bands(org_id, {pair for keys, _title in articles for pair in enumerate(keys)})
    # Stories started by this batch are numbered -1, -2, … until they have ids.
    started: dict[tuple[int, str], list[int]] = {}
    titles: list[str] = []
    counts: Counter[int] = Counter()
    chosen: list[int] = []
    new_bands: list[tuple[int, int, str]] = []
    for keys, title in articles:
        # Stored stories before the batch's own, each band in order, as assign() counts them:
        # a tie goes to the story met first.
        pairs = list(enumerate(keys))
        hits = [s for pair in pairs if pair in known for s in known[pair]]
        hits += [s for pair in pairs if pair in started for s in started[pair]]
        if hits:
            story = Counter(hits).most_common(1)[0][0]
        else:
            titles.append(title[:500])
            story = -len(titles)
            for band, key in enumerate(keys):
                started.setdefault((band, key), []).append(story)
                new_bands.append((story, band, key))
        counts[story] += 1
        chosen.append(story)
    stories = bulk.insert_returning_ids(
        Story,
        ("org", "title", "first_seen", "appearance_count"),
        [(org_id, title, now(), counts[-n]) for n, title in enumerate(titles, 1)],
    )
    ids = {-n: story for n, story in enumerate(stories, 1)}
    bulk.insert_values(
        StoryBand,
        ("org", "story", "band", "key"),
        [(org_id, ids[s], b, k) for s, b, k in new_bands],
    )
    by_increment: dict[int, list[int]] = {}
    for story, count in counts.items():
        if story > 0:
            by_increment.setdefault(count, []).append(story)
    for increment, story_ids in sorted(by_increment.items()):
        Story.objects.for_org(org_id).filter(pk__in=story_ids).update(
            appearance_count=F("appearance_count") + increment
        )
    return [ids.get(story, story) for story in chosen]
