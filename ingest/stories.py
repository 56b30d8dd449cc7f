"""Story clusters: new articles join the cluster of stored articles that tell the same story.

Candidates come from shared LSH band keys (an index lookup, never a scan of the corpus);
each candidate is confirmed by the containment estimated from the MinHash signatures.
"""

from collections import defaultdict

from .cleaning.dedupe import Fingerprint, same_story, signature_from_bytes
from .bulk import band_key_owners
from .models import Article, StoryCluster


def story_clusters_assign(*, articles: list[Article], band_keys: list[list[int]]) -> int:
    """Put each new article (stored, its band keys not yet) into its story's cluster.

    Articles are compared with stored articles created before them, including earlier
    ones of the same list. Two clusters bridged by a new article merge into the older.
    Returns how many of ``articles`` joined a cluster. Must run inside a transaction.
    """
    if not articles:
        return 0
    new_ids = {article.pk for article in articles}
    candidates = _candidates(articles, band_keys)
    known = _fingerprints(set().union(*candidates.values()) - new_ids)
    known.update({a.pk: (_fingerprint(a.minhash, a.shingle_count), a.story_cluster_id) for a in articles})
    clusters = {pk: cluster for pk, (_, cluster) in known.items()}
    joined = 0
    for article in articles:
        matches = sorted(pk for pk in candidates[article.pk] if same_story(known[article.pk][0], known[pk][0]))
        if matches:
            _join(article.pk, matches, clusters)
            joined += 1
    _save_clusters(clusters, {pk: cluster for pk, (_, cluster) in known.items()})
    return joined


def _candidates(articles: list[Article], band_keys: list[list[int]]) -> dict[int, set[int]]:
    """Ids of older articles sharing a band key with each new article.

    Runs before the new articles' keys are stored: the database returns only older
    articles, and the new ones are matched with each other in memory.
    """
    owners = defaultdict(list)
    for key, article_id in band_key_owners({key for keys in band_keys for key in keys}):
        owners[key].append(article_id)
    candidates = {}
    for article, keys in zip(articles, band_keys):
        found = set()
        for key in keys:
            if key in owners:
                found.update(owners[key])
        candidates[article.pk] = found
        for key in keys:
            owners[key].append(article.pk)
    return candidates


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
    changed = defaultdict(list)
    for pk, cluster in clusters.items():
        if cluster != before.get(pk):
            changed[cluster].append(pk)
    for cluster, ids in changed.items():
        Article.objects.filter(pk__in=ids).update(story_cluster_id=cluster)
