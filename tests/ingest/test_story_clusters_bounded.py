"""Story clusters at a bounded cost, against the exhaustive algorithm (every article compared
with every older one sharing a band key, kept below as the reference) on generated corpora.

On an ordinary feed both find the same clusters. On wire copy (most articles rewrites of a
few agency stories, each with hundreds of copies) the exhaustive one also merges two
agency stories now and then, through a single pair of copies whose estimated containment
is a noise hit just over the threshold; the bounded one compares a copy with a story's
closest members only, so it misses such pairs. The test pins exactly that: the bounded
clusters never join what the exhaustive ones keep apart, and never part two copies of
one agency story that the exhaustive ones keep together. Comparisons per article and band
key rows per key stay bounded."""

import random
from collections import Counter

import numpy as np
import pytest
from django.db.models import Count

from benchmarks.corpus import records
from ingest import services, stories
from ingest.cleaning.dedupe import BANDS, Fingerprint, same_story, signature_from_bytes, story_agreement
from ingest.models import Article, StoryBandKey
from ingest.readers import read_records

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Wire copy: 90% rewrites, 5 agency stories on the wire at once, 200 copies each.
WIRE_COPY = {"syndication": "heavy", "live_stories": 5}
ORDINARY_FEED = {"syndication": "default"}


def exhaustive_clusters(fingerprints: list[Fingerprint]) -> tuple[set[frozenset[int]], int]:
    """The clusters (sets of positions, two or more) that comparing each article with every
    older article sharing a band key finds: the connected components of confirmed pairs.
    Also the most candidates one article was compared with."""
    keys = np.array([fingerprint.band_keys for fingerprint in fingerprints], dtype=np.int64)
    parent = list(range(len(fingerprints)))

    def root(position):
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    most = 0
    for position, fingerprint in enumerate(fingerprints):
        candidates = np.flatnonzero((keys[:position] == keys[position]).any(axis=1)).tolist()
        most = max(most, len(candidates))
        for older in candidates:
            if same_story(fingerprint, fingerprints[older]):
                parent[root(position)] = root(older)
    components = {}
    for position in range(len(fingerprints)):
        components.setdefault(root(position), set()).add(position)
    return {frozenset(members) for members in components.values() if len(members) > 1}, most


def together(clusters: set[frozenset[int]]) -> set[tuple[int, int]]:
    return {(a, b) for cluster in clusters for a in cluster for b in cluster if a < b}


def imported_clusters(articles: list[Article]) -> set[frozenset[int]]:
    by_cluster = {}
    for position, article in enumerate(articles):
        if article.story_cluster_id:
            by_cluster.setdefault(article.story_cluster_id, set()).add(position)
    return {frozenset(members) for members in by_cluster.values()}


@pytest.fixture
def comparisons(monkeypatch) -> Counter:
    """Signature comparisons made per new article (keyed by its signature), counted around the real check."""
    counted = Counter()

    def counting_story_agreement(new, stored):
        counted[new.signature.tobytes()] += 1
        return story_agreement(new, stored)

    monkeypatch.setattr(stories, "story_agreement", counting_story_agreement)
    return counted


@pytest.mark.parametrize("corpus", [WIRE_COPY, ORDINARY_FEED], ids=["wire-copy", "ordinary-feed"])
def test_bounded_clustering_agrees_with_the_exhaustive_one(corpus, comparisons, settings):
    settings.INGEST_CHUNK_SIZE = 250  # stories span chunks and grow within them
    labels = []
    batch = services.import_batch_create()
    services.import_batch_run(batch=batch, results=read_records(list(
        records(3000, random.Random(11), stories=labels, **corpus))))
    articles = list(Article.objects.order_by("id"))
    fingerprints = [Fingerprint(signature_from_bytes(a.minhash), a.shingle_count) for a in articles]
    agency_story = [labels[int(article.url.rsplit("/", 1)[1])] for article in articles]

    expected, most_candidates = exhaustive_clusters(fingerprints)

    found = imported_clusters(articles)
    assert max(comparisons.values()) <= stories.MAX_COMPARISONS
    if corpus is ORDINARY_FEED:
        assert found == expected
    else:
        assert together(found) <= together(expected), "never joins what the exhaustive clusters keep apart"
        parted = together(expected) - together(found)
        assert not [(a, b) for a, b in parted if agency_story[a] == agency_story[b]], \
            "never parts copies of one agency story that the exhaustive clusters keep together"
        assert max(len(cluster) for cluster in expected) >= 150, "the corpus must hold big stories"
        assert most_candidates >= 150, "the exhaustive algorithm compares a copy with its whole story"
        assert sum(comparisons.values()) <= 2 * len(articles)
        rows_per_key = StoryBandKey.objects.values("key").annotate(rows=Count("article")).values_list("rows", flat=True)
        assert max(rows_per_key) <= stories.MAX_KEY_OWNERS
        # A key is stored once per story, not once per copy: a third of the rows one per copy makes.
        assert StoryBandKey.objects.count() <= len(articles) * BANDS // 2
