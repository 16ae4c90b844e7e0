"""Near-duplicate clustering: MinHash signatures (rensa), LSH bands kept in the database.

An article's word 3-shingles give a 128-value signature, cut into 16 bands of 8 values: two
articles whose shingle sets are about 70 % alike share a band with high probability. The bands
of each story's first article are stored (StoryBand), so every worker sees one index; a new
article joins the story it shares most bands with, or starts a new one.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from rensa import RMinHash

from pressdesk.monitoring.models import Story, StoryBand

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 42
SHINGLE = 3


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


def assign(org_id: int, words: list[str], title: str) -> Story:
    """The story this article belongs to, created (with its bands) if it is new."""
    keys = band_keys(words)
    if keys:
        hits: Counter[int] = Counter()
        # One query for all bands: keys are 128-bit hashes, the band is checked here.
        wanted = set(enumerate(keys))
        rows = StoryBand.objects.for_org(org_id).filter(key__in=keys)
        for band, key, story_id in rows.values_list("band", "key", "story_id"):
            if (band, key) in wanted:
                hits[story_id] += 1
        if hits:
            story_id = hits.most_common(1)[0][0]
            return Story.objects.for_org(org_id).get(pk=story_id)
    story = Story.objects.for_org(org_id).create(title=title[:500])
    StoryBand.objects.bulk_create(
        [StoryBand(org_id=org_id, story=story, band=b, key=k) for b, k in enumerate(keys)]
    )
    return story
