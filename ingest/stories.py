"""Story clusters: new articles join the cluster of stored articles that tell the same story.

Candidates come from shared LSH band keys (an index lookup, never a scan of the corpus);
each candidate is confirmed by the containment estimated from the MinHash signatures.
"""

from collections import defaultdict

import numpy as np

from .bulk import band_key_owners
from .cleaning.dedupe import Fingerprint, same_story, signature_from_bytes
from .models import Article, StoryCluster


def story_clusters_join(*, fingerprints: list[Fingerprint], band_keys) -> tuple[list[int | None], int]:
    """The story cluster of each new article (not stored yet), and how many of them joined one.

    ``band_keys`` holds one row of keys per article, not stored yet either. Articles are
    compared with stored articles and with earlier ones of the list. Creates the clusters
    it needs and moves stored articles into them; two clusters bridged by a new article
    merge into the older. Must run inside the transaction that then stores the articles
    with these clusters.
    """
    if not fingerprints:
        return [], 0
    candidates = _candidates(band_keys)
    known = _fingerprints({pk for found in candidates for pk in found if pk > 0})
    before = {pk: cluster for pk, (_, cluster) in known.items()}
    known.update({_new(number): (fingerprint, None) for number, fingerprint in enumerate(fingerprints)})
    clusters = {pk: cluster for pk, (_, cluster) in known.items()}
    joined = 0
    for number, found in enumerate(candidates):
        fingerprint = fingerprints[number]
        # A key may outlive its article when rows are deleted outside the ORM: skip those.
        matches = sorted(pk for pk in found if pk in known and same_story(fingerprint, known[pk][0]))
        if matches:
            _join(_new(number), matches, clusters)
            joined += 1
    _save_clusters({pk: cluster for pk, cluster in clusters.items() if pk > 0}, before)
    return [clusters[_new(number)] for number in range(len(fingerprints))], joined


def story_clusters_assign(*, articles: list[Article], band_keys) -> int:
    """Put each new article (stored, its band keys not yet) into its story's cluster.

    ``story_clusters_join`` for articles already stored; returns how many joined a
    cluster. Must run inside a transaction.
    """
    fingerprints = [_fingerprint(article.minhash, article.shingle_count) for article in articles]
    clusters, joined = story_clusters_join(fingerprints=fingerprints, band_keys=band_keys)
    for article, cluster in zip(articles, clusters):
        if cluster:
            Article.objects.filter(pk=article.pk).update(story_cluster_id=cluster)
            article.story_cluster_id = cluster
    return joined


def _new(number: int) -> int:
    """The id standing for the ``number``-th new article: negative, never a stored id."""
    return -(number + 1)


def _candidates(band_keys) -> list[set[int]]:
    """Per new article, the ids of stored articles and of earlier new ones sharing a band key.

    Runs before the new articles' keys are stored: the database returns only older
    articles, and the new ones are matched with each other here, by sorting all keys
    once (tens of thousands per chunk) instead of a dictionary entry per key.
    """
    keys = np.asarray(band_keys, dtype=np.int64)
    order = np.argsort(keys, axis=None, kind="stable")  # stable: equal keys stay in article order
    owners = np.repeat(np.arange(len(keys)), keys.shape[1])[order].tolist()
    keys = keys.ravel()[order]
    repeated = keys[1:] == keys[:-1]
    found = [set() for _ in range(len(band_keys))]
    for key, article_id in band_key_owners(keys[np.concatenate(([True], ~repeated))]):
        start, end = np.searchsorted(keys, key, "left"), np.searchsorted(keys, key, "right")
        for number in owners[start:end]:
            found[number].add(article_id)
    for position in (np.flatnonzero(repeated) + 1).tolist():
        later, first = owners[position], int(np.searchsorted(keys, keys[position], "left"))
        found[later].update(_new(earlier) for earlier in owners[first:position] if earlier != later)
    return found


def _fingerprints(ids: set[int]) -> dict[int, tuple[Fingerprint, int | None]]:
    rows = Article.objects.filter(pk__in=ids).values_list("pk", "minhash", "shingle_count", "story_cluster_id")
    return {pk: (_fingerprint(minhash, count), cluster) for pk, minhash, count, cluster in rows.iterator()}


def _fingerprint(minhash: bytes, shingle_count: int) -> Fingerprint:
    return Fingerprint(signature_from_bytes(minhash), shingle_count)


def _join(article_id: int, matches: list[int], clusters: dict[int, int | None]) -> None:
    """Give ``article_id`` and its matches one cluster, the oldest among theirs (or a new one)."""
    existing = sorted({clusters[pk] for pk in matches if clusters[pk]})
    target = existing[0] if existing else StoryCluster.objects.create().pk
    for older in existing[1:]:
        Article.objects.filter(story_cluster_id=older).update(story_cluster_id=target)
        StoryCluster.objects.filter(pk=older).delete()
        for pk, cluster in clusters.items():
            if cluster == older:
                clusters[pk] = target
    for pk in [article_id, *matches]:
        clusters[pk] = target


def _save_clusters(clusters: dict[int, int | None], before: dict[int, int | None]) -> None:
    """Store the clusters of stored articles that changed."""
    changed = defaultdict(list)
    for pk, cluster in clusters.items():
        if cluster != before.get(pk):
            changed[cluster].append(pk)
    for cluster, ids in changed.items():
        Article.objects.filter(pk__in=ids).update(story_cluster_id=cluster)
