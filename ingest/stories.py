"""Story clusters: new articles join the cluster of stored articles that tell the same story.

Candidates come from shared LSH band keys (an index lookup, never a scan of the corpus);
each candidate is confirmed by the containment estimated from the MinHash signatures. One
confirmed pair is enough for an article to join a cluster: candidates are grouped by cluster
and compared, most shared keys first, until one is confirmed or ``MEMBERS_PER_CLUSTER`` were
not. An article confirmed with several clusters joins the one it agrees with most, and merges
the others into it only where it agrees strongly with both (``MERGE_MIN_EQUAL``): stories are
not the connected components of confirmed pairs, since one chance match would then merge two
whole stories, and such merges chain at archive scale. Unclustered matches join it whatever
the strength: a wrong one misplaces a single article.

The cost per article stays bounded however many copies a story has: a key is stored once
per cluster (a member whose cluster already owns a key does not store it again), so a
lookup finds a few owners per key, not every syndicated copy; no key stores more than
``MAX_KEY_OWNERS`` rows; and a copy whose cluster already holds a quarter of its keys
(``STORY_KEYS_COVERED``) stores none, so the key index grows with the stories and the
articles of no story, not with the copies.
"""

from collections import Counter, defaultdict
from itertools import chain
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count

from .bulk import TABLE, articles_fingerprint_rows, band_key_owners, band_keys_insert
from .cleaning.dedupe import (BANDS, MERGE_MIN_EQUAL, NUM_PERM, Fingerprint, band_keys, signature_from_bytes,
                              story_agreement)
from .models import Article, StoryBandKey, StoryCluster

# Members of one cluster compared with a new article before giving up on that cluster. The
# members sharing most keys with it come first; a copy that matches none of the closest four
# shares too little with the story to confirm through the others either.
MEMBERS_PER_CLUSTER = 4
# Comparisons per new article over all clusters and unclustered candidates (most shared keys
# first): the bound that holds whatever the mix of stories.
MAX_COMPARISONS = 32
# Rows per key over distinct clusters and unclustered articles. A key shared by this many
# different stories says nothing about any of them; storing more would only slow look-ups.
MAX_KEY_OWNERS = 16
# Articles per step of a rebuild of the band keys: an import chunk's worth of keys per look-up.
REBUILD_CHUNK = 2000
# Keys of its own row an article's story cluster must already hold for the article to store
# none: a copy that close to the story adds nothing later copies need (they find the story
# through the same keys), and the keys of every syndicated copy would make the index grow with
# the copies instead of the stories. On generated wire copy (benchmarks/README.md) storing
# them only for the other articles cut the keys to a third (100,000 articles: 1.94 million to
# 652,000) with the same copies of each story found, and fewer chance hits between stories.
STORY_KEYS_COVERED = BANDS // 4


@dataclass(frozen=True, slots=True)
class StoryJoin:
    """What ``story_clusters_join`` decided for a list of new articles."""

    clusters: list[int | None]  # per article, its story cluster (None: a story of its own so far)
    joined: int  # how many joined a cluster
    keys_to_store: np.ndarray  # (articles, bands) booleans: the band keys each article must store
    comparisons: int  # signature comparisons made (what the bound is about)


def story_clusters_join(*, fingerprints: list[Fingerprint], band_keys) -> StoryJoin:
    """The story cluster of each new article (not stored yet), how many joined one, and which
    of their band keys to store.

    ``band_keys`` holds one row of keys per article, not stored yet either. Articles are
    compared with stored articles and with earlier ones of the list. Creates the clusters
    it needs and moves stored articles into them; two clusters bridged by a new article
    merge into the bigger. Must run inside the transaction that then stores the articles
    with these clusters, and their keys as ``keys_to_store`` says.
    """
    keys = np.asarray(band_keys, dtype=np.int64).reshape(len(fingerprints), BANDS)
    keep = np.ones(keys.shape, dtype=bool)
    if not fingerprints:
        return StoryJoin([], 0, keep, 0)
    distinct, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    owners = _stored_owners(distinct)
    holders = {pk for found in owners.values() for pk in found}
    known = _fingerprints(holders)
    if len(known) < len(holders):  # keys of articles deleted outside the ORM: skipped
        owners = {key: [pk for pk in found if pk in known] for key, found in owners.items()}
    before = {pk: cluster for pk, (_, cluster) in known.items()}
    clusters = dict(before)
    known.update({_new(number): (fingerprint, None) for number, fingerprint in enumerate(fingerprints)})
    clusters.update({_new(number): None for number in range(len(fingerprints))})
    joined = comparisons = 0
    contested = _contested(keys, owners, distinct, inverse, counts)
    # The contested keys as one list, row after row, and the keys each takes as one list too:
    # two numpy operations per chunk instead of two per article.
    walked, taken, covered, start = keys[contested].tolist(), [], [], 0
    for number, (fingerprint, end) in enumerate(zip(fingerprints, np.cumsum(contested.sum(axis=1)).tolist())):
        row, start = walked[start:end], end
        matches, compared = _matches(fingerprint, _shared_keys(row, owners), known, clusters)
        comparisons += compared
        if matches:
            _join(_new(number), matches, clusters)
            joined += 1
        kept = _take_keys(_new(number), row, owners, clusters)
        if kept is None:
            covered.append(number)
            kept = [False] * len(row)
        taken += kept
    keep[contested] = taken
    keep[covered] = False
    _save_clusters({pk: cluster for pk, cluster in clusters.items() if pk > 0}, before)
    return StoryJoin([clusters[_new(number)] for number in range(len(fingerprints))], joined, keep, comparisons)


def story_clusters_assign(*, articles: list[Article], band_keys) -> int:
    """Put each new article (stored, its band keys not yet) into its story's cluster and
    store the band keys it needs.

    ``story_clusters_join`` for articles already stored; returns how many joined a
    cluster. Must run inside a transaction.
    """
    fingerprints = [_fingerprint(article.minhash, article.shingle_count) for article in articles]
    keys = np.asarray(band_keys, dtype=np.int64).reshape(len(articles), BANDS)
    result = story_clusters_join(fingerprints=fingerprints, band_keys=keys)
    for article, cluster in zip(articles, result.clusters):
        if cluster:
            Article.objects.filter(pk=article.pk).update(story_cluster_id=cluster)
            article.story_cluster_id = cluster
    band_keys_store([article.pk for article in articles], keys, result.keys_to_store)
    return result.joined


def band_keys_store(ids: list[int], band_keys: np.ndarray, keep: np.ndarray) -> None:
    """Store the kept keys of each article's row of ``band_keys`` under its id."""
    owners = np.repeat(np.asarray(ids, dtype=np.int64), band_keys.shape[1]).reshape(band_keys.shape)
    band_keys_insert(np.column_stack((band_keys[keep], owners[keep])))


def band_keys_lost() -> bool:
    """Whether the band keys are gone while fingerprinted articles remain.

    Their table is unlogged (PostgreSQL; see migration 0011): crash recovery empties it, and
    a promoted replica has it empty. Elsewhere they are never lost this way.
    """
    return (connection.vendor == "postgresql" and not StoryBandKey.objects.exists()
            and Article.objects.exclude(minhash=b"").exists())


@transaction.atomic
def band_keys_rebuild() -> int:
    """If the band keys are lost, store them again from the articles' signatures as imports
    store them (oldest article first, once per cluster, at most ``MAX_KEY_OWNERS`` per key);
    returns how many articles it went through.

    One transaction that locks the table first: a concurrent import waits for the rebuild
    instead of looking up a half-built table, and two rebuilds never run at once.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
    if not band_keys_lost():
        return 0
    articles = Article.objects.exclude(minhash=b"").order_by("pk").values_list("pk", "minhash", "story_cluster_id")
    done = after = 0
    while rows := list(articles.filter(pk__gt=after)[:REBUILD_CHUNK]):
        after = rows[-1][0]
        _band_keys_restore([row for row in rows if len(row[1]) == NUM_PERM * 4])
        done += len(rows)
    return done


def _band_keys_restore(rows: list[tuple[int, bytes, int | None]]) -> None:
    """Store the keys of (id, signature, cluster) rows, after those of every older article."""
    if not rows:
        return
    ids = [pk for pk, _, _ in rows]
    keys = np.array([band_keys(signature_from_bytes(minhash)) for _, minhash, _ in rows], dtype=np.int64)
    owners = _stored_owners(np.unique(keys))
    clusters = dict(Article.objects.filter(pk__in={pk for found in owners.values() for pk in found})
                    .values_list("pk", "story_cluster_id"))
    clusters.update({pk: cluster for pk, _, cluster in rows})
    keep = np.array([_take_keys(pk, row, owners, clusters) or [False] * BANDS for pk, row in zip(ids, keys.tolist())],
                    dtype=bool)
    band_keys_store(ids, keys, keep)


def _new(number: int) -> int:
    """The id standing for the ``number``-th new article: negative, never a stored id."""
    return -(number + 1)


def _contested(keys: np.ndarray, owners: dict[int, list[int]], distinct: np.ndarray, inverse: np.ndarray,
               counts: np.ndarray) -> np.ndarray:
    """Which cells of ``keys`` hold a key that a stored article holds or that occurs more than
    once in ``keys`` (``distinct``, ``inverse``, ``counts``: its ``np.unique``). Only those can
    have holders; the others are kept and nobody else asks for them, so the walk in Python
    skips them (on most feeds, most keys) with the same outcome."""
    stored = np.fromiter(owners, dtype=np.int64, count=len(owners))
    return ((counts > 1) | np.isin(distinct, stored))[inverse.reshape(-1)].reshape(keys.shape)


def _stored_owners(distinct: np.ndarray) -> dict[int, list[int]]:
    """Per key of ``distinct`` (sorted, distinct keys), the stored articles holding it (older
    articles only: the new ones' keys are stored after this)."""
    owners = {}
    for key, article_id in band_key_owners(distinct):
        found = owners.get(key)
        if found is None:
            owners[key] = [article_id]
        else:
            found.append(article_id)
    return owners


def _shared_keys(row: list[int], owners: dict[int, list[int]]) -> dict[int, int]:
    """Candidate id -> how many keys of ``row`` it holds."""
    # Counter over the chained holder lists: the whole count runs in C.
    return Counter(chain.from_iterable(filter(None, map(owners.get, row))))


def _matches(fingerprint: Fingerprint, shared: dict[int, int], known: dict,
             clusters: dict) -> tuple[list[tuple[int, int]], int]:
    """One confirmed candidate per cluster (or unclustered candidate) that tells the same
    story as ``fingerprint``, with how strongly they agree, by id; and how many comparisons it
    took."""
    groups = defaultdict(list)
    for pk, count in shared.items():
        groups[clusters[pk] or ("alone", pk)].append((-count, pk))
    matches, compared = [], 0
    for group in sorted(groups.values(), key=min):  # the group with the closest candidate first
        for _, pk in sorted(group)[:MEMBERS_PER_CLUSTER]:
            if compared == MAX_COMPARISONS:
                return sorted(matches), compared
            compared += 1
            if agreement := story_agreement(fingerprint, known[pk][0]):
                matches.append((pk, agreement))
                break
    return sorted(matches), compared


def _take_keys(article_id: int, row: list[int], owners: dict[int, list[int]], clusters: dict) -> list[bool] | None:
    """Which keys of ``row`` the article stores: those its cluster does not hold yet, up to
    ``MAX_KEY_OWNERS`` per key. It becomes their owner for the articles after it. None: its
    cluster already holds ``STORY_KEYS_COVERED`` of them, and it stores none."""
    cluster, found = clusters[article_id], list(map(owners.get, row))  # a row's keys are distinct
    # ``in`` over the map stops at the first holder of the cluster, without a Python loop.
    held = ([bool(holders and cluster in map(clusters.__getitem__, holders)) for holders in found]
            if cluster else [False] * len(row))
    if sum(held) >= STORY_KEYS_COVERED:
        return None
    kept = []
    for key, holders, cluster_holds in zip(row, found, held):
        if holders is None:  # most keys of most articles: nobody holds them yet
            owners[key] = [article_id]
            kept.append(True)
            continue
        take = len(holders) < MAX_KEY_OWNERS and not cluster_holds
        if take:
            holders.append(article_id)
        kept.append(take)
    return kept


def _fingerprints(ids: set[int]) -> dict[int, tuple[Fingerprint, int | None]]:
    rows = articles_fingerprint_rows(ids)
    if any(len(minhash) != NUM_PERM * 4 for _, minhash, _, _ in rows):  # not all decodable in one go
        return {pk: (_fingerprint(minhash, count), cluster) for pk, minhash, count, cluster in rows}
    # One decode for all signatures: a row per article of one array, not an array per article.
    signatures = np.frombuffer(b"".join(minhash for _, minhash, _, _ in rows), dtype="<u4").astype(np.uint32)
    signatures = signatures.reshape(len(rows), NUM_PERM)
    return {pk: (Fingerprint(signature, count), cluster)
            for (pk, _, count, cluster), signature in zip(rows, signatures)}


def _fingerprint(minhash: bytes, shingle_count: int) -> Fingerprint:
    return Fingerprint(signature_from_bytes(minhash), shingle_count)


def _join(article_id: int, matches: list[tuple[int, int]], clusters: dict[int, int | None]) -> None:
    """Give ``article_id`` the cluster of its closest match (``matches``: id and agreement),
    or a new one with it. Its other matches join too if unclustered (at worst one article in
    the wrong story), and so do their clusters if it agrees strongly with them and with the
    closest (a weak match must not merge two whole stories).

    Bridged clusters merge into the one with most stored articles (the older on a tie):
    moving a cluster rewrites each of its rows, and every index of them.
    """
    closest, strength = max(matches, key=lambda match: match[1])
    joining = [pk for pk, agreement in matches
               if pk == closest or not clusters[pk] or min(strength, agreement) >= MERGE_MIN_EQUAL]
    existing = sorted({clusters[pk] for pk in joining if clusters[pk]})
    if len(existing) > 1:
        sizes = dict(Article.objects.filter(story_cluster_id__in=existing).values_list("story_cluster_id")
                     .annotate(count=Count("id")))
        existing.sort(key=lambda cluster: (-sizes.get(cluster, 0), cluster))
    target = existing[0] if existing else StoryCluster.objects.create().pk
    for merged in existing[1:]:
        Article.objects.filter(story_cluster_id=merged).update(story_cluster_id=target)
        StoryCluster.objects.filter(pk=merged).delete()
        for pk, cluster in clusters.items():
            if cluster == merged:
                clusters[pk] = target
    for pk in [article_id, *joining]:
        clusters[pk] = target


def _save_clusters(clusters: dict[int, int | None], before: dict[int, int | None]) -> None:
    """Store the clusters of stored articles that had none and joined one. (Those that had
    one changed only when it merged into another, which moved them in the database then.)"""
    joined = defaultdict(list)
    for pk, cluster in clusters.items():
        if cluster and not before.get(pk):
            joined[cluster].append(pk)
    for cluster, ids in joined.items():
        Article.objects.filter(pk__in=ids).update(story_cluster_id=cluster)
