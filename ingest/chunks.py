"""One chunk of an import, committed on its own: articles, band keys, records, counters and
cursor in one transaction, the chunk's articles offered to projects in the same transaction.

A chunk that fails is narrowed to the records that caused it (halves, down to one record,
which becomes a failure record); a chunk whose database connection drops is retried with
back-off, and never counted twice: the batch's cursor tells whether it committed after all.
"""

import logging
import time
from datetime import datetime

import numpy as np
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.errors import Conflict

from .bulk import articles_insert, relax_commit_durability
from .cleaning.dedupe import BANDS, Fingerprint, signature_from_bytes
from .jobs import DB_CONNECTION_ERRORS, batch_claimed
from .models import Article, ImportBatch, ImportRecord, Source
from .preparation import UNSTORABLE, PreparedArticle
from .readers.base import ReadError, describe
from .signals import articles_imported
from .stories import band_keys_store, story_clusters_join
from .verbatim import verbatim_body_conflicts

logger = logging.getLogger(__name__)

Prepared = PreparedArticle | ReadError
# Errors that say nothing about the records: never narrowed to one of them.
NOT_THE_RECORDS = (*DB_CONNECTION_ERRORS, Conflict, SoftTimeLimitExceeded)
# First pause before retrying a chunk whose connection dropped; doubled each time, capped.
RETRY_FIRST_PAUSE, RETRY_MAX_PAUSE = 0.5, 30.0


def chunk_store(batch: ImportBatch, token: datetime, prepared: list[Prepared]) -> None:
    """Commit ``prepared`` to ``batch`` (claimed by ``token``); only the records that make it fail
    fail. Raises Conflict if the claim was lost, the connection error if it never comes back."""
    try:
        _commit_with_retry(batch, token, prepared)
    except NOT_THE_RECORDS:
        raise
    except Exception as exc:
        if len(prepared) == 1:
            _store_alone(batch, token, prepared[0], exc)
            return
        logger.info("Import batch %s: a chunk of %d failed (%s); narrowing it", batch.pk, len(prepared),
                    describe(exc))
        half = len(prepared) // 2
        chunk_store(batch, token, prepared[:half])
        chunk_store(batch, token, prepared[half:])


def _store_alone(batch: ImportBatch, token: datetime, item: Prepared, exc: Exception) -> None:
    """One record that failed: try it once more (a concurrent import may have stored the same
    text meanwhile; now it is a duplicate), else store its failure."""
    try:
        _commit_with_retry(batch, token, [item])
    except NOT_THE_RECORDS:
        raise
    except Exception as again:
        logger.info("Import batch %s: %s could not be stored: %s (before: %s)", batch.pk, item.origin,
                    describe(again), describe(exc))
        failure = ReadError(item.origin, f"could not be stored ({describe(again)})"[:2000])
        _commit_with_retry(batch, token, [failure])


def _commit_with_retry(batch: ImportBatch, token: datetime, prepared: list[Prepared]) -> None:
    """Commit one chunk; on a lost connection reconnect and try again, up to INGEST_CHUNK_DB_RETRIES."""
    reached = batch.processed_count
    for attempt in range(settings.INGEST_CHUNK_DB_RETRIES + 1):
        try:
            _commit(batch, token, prepared)
            break
        except DB_CONNECTION_ERRORS as exc:
            if connection.in_atomic_block or attempt == settings.INGEST_CHUNK_DB_RETRIES:
                raise  # an outer transaction (dry run) cannot be retried piecemeal
            pause = min(RETRY_MAX_PAUSE, RETRY_FIRST_PAUSE * 2 ** attempt)
            logger.warning("Import batch %s: database connection lost (%s); retrying the chunk in %.1f s",
                           batch.pk, describe(exc), pause)
            connection.close()
            time.sleep(pause)
            if _committed_after_all(batch, token, reached + len(prepared)):
                break
    batch.refresh_from_db()


def _committed_after_all(batch: ImportBatch, token: datetime, reached: int) -> bool:
    """Whether the chunk committed although its connection dropped (the answer to COMMIT was lost)."""
    try:
        return batch_claimed(batch, token).filter(processed_count__gte=reached).exists()
    except DB_CONNECTION_ERRORS:
        connection.close()
        return False


@transaction.atomic
def _commit(batch: ImportBatch, token: datetime, prepared: list[Prepared]) -> None:
    relax_commit_durability()
    prepared = verbatim_body_conflicts(prepared)
    failures = [item for item in prepared if isinstance(item, ReadError)]
    candidates = [item for item in prepared if isinstance(item, PreparedArticle)]
    new, duplicates, ids_by_hash = _split_duplicates(candidates)
    # First: lock the batch row and check the claim, so a run taken over writes nothing.
    counted = batch_claimed(batch, token).update(
        processed_count=F("processed_count") + len(prepared), created_count=F("created_count") + len(new),
        duplicate_count=F("duplicate_count") + len(duplicates), failed_count=F("failed_count") + len(failures),
        heartbeat_at=timezone.now(),
        cursor={"records": batch.processed_count + len(prepared), "origin": _clean(prepared[-1].origin)})
    if not counted:
        raise Conflict(f"Import batch {batch.pk} was taken over by another run; this one stops.")
    band_keys = np.array([item.band_keys for item in new], dtype=np.int64).reshape(len(new), BANDS)
    # Clusters before articles: each row is written once, with its cluster.
    stories = story_clusters_join(
        fingerprints=[Fingerprint(signature_from_bytes(item.minhash), item.shingle_count) for item in new],
        band_keys=band_keys,
    )
    ids = _create_articles(batch, new, stories.clusters)
    ids_by_hash.update(zip((item.content_hash for item in new), ids))
    band_keys_store(ids, band_keys, stories.keys_to_store)
    ImportRecord.objects.bulk_create(_records(batch, prepared, set(map(id, duplicates)), ids_by_hash))
    if stories.joined:
        ImportBatch.objects.filter(pk=batch.pk).update(
            near_duplicate_count=F("near_duplicate_count") + stories.joined)
    # In this transaction: articles are offered to projects exactly when they commit, and a crash
    # right after the commit cannot lose the offer. Duplicates are offered too (a re-import after
    # a crash offers what the crashed run stored); offering is idempotent.
    articles_imported.send(sender=ImportBatch, batch=batch, article_ids=sorted(set(ids_by_hash.values())))


def _clean(text: str) -> str:
    return UNSTORABLE.sub("", text)


def _records(batch: ImportBatch, prepared: list, duplicates: set[int], ids_by_hash: dict) -> list[ImportRecord]:
    """Records of the failures, duplicates and repairs, in input order."""
    records = []
    for item in prepared:
        origin = _clean(item.origin)[:1000]
        if isinstance(item, ReadError):
            records.append(ImportRecord(batch=batch, origin=origin, outcome=ImportRecord.Outcome.FAILED,
                                        message=_clean(item.message)))
        elif id(item) in duplicates:
            records.append(ImportRecord(batch=batch, origin=origin, outcome=ImportRecord.Outcome.DUPLICATE,
                                        message="same text as an article already stored",
                                        article_id=ids_by_hash[item.content_hash]))
        elif item.repairs:
            records.append(ImportRecord(batch=batch, origin=origin, outcome=ImportRecord.Outcome.REPAIRED,
                                        message=item.repairs, article_id=ids_by_hash[item.content_hash]))
    return records


def _split_duplicates(items: list[PreparedArticle]) -> tuple[list[PreparedArticle], list[PreparedArticle], dict]:
    """New articles, duplicates (of stored articles or of an earlier item), and stored ids by hash."""
    stored = dict(Article.objects.filter(content_hash__in={i.content_hash for i in items})
                  .values_list("content_hash", "id"))
    new, duplicates, seen = [], [], set(stored)
    for item in items:
        (duplicates if item.content_hash in seen else new).append(item)
        seen.add(item.content_hash)
    return new, duplicates, stored


def _create_articles(batch: ImportBatch, items: list[PreparedArticle], clusters: list[int | None]) -> list[int]:
    """Store ``items`` as articles of ``batch`` in ``clusters``; their ids, in order."""
    sources = _source_ids_by_name(items)
    return articles_insert([
        {
            "title": item.title, "body": item.body, "raw_text": item.raw_text,
            "source_id": sources.get(item.source_name), "url": item.url, "byline": item.byline,
            "published_at": item.published_at, "dateline": item.dateline, "language": item.language,
            "content_hash": item.content_hash, "story_cluster_id": cluster, "import_batch_id": batch.pk,
            "origin": item.origin[:1000], "format": item.format, "removed_lines": item.removed_lines,
            "shingle_count": item.shingle_count, "minhash": item.minhash,
        }
        for item, cluster in zip(items, clusters)
    ])


def _source_ids_by_name(items: list[PreparedArticle]) -> dict[str, int]:
    domains = {item.source_name: item.domain for item in items if item.source_name}
    if not domains:
        return {}
    Source.objects.bulk_create(
        [Source(name=name, domain=domain) for name, domain in domains.items()], ignore_conflicts=True
    )
    return dict(Source.objects.filter(name__in=domains).values_list("name", "id"))

