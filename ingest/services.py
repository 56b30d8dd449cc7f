"""Writes of the corpus: import batches and the articles they create."""

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import numpy as np
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsroom.errors import Conflict

from .bulk import articles_insert, band_keys_insert, relax_commit_durability
from .cleaning.dedupe import BANDS, Fingerprint, signature_from_bytes
from .models import Article, ImportBatch, ImportRecord, Source
from .preparation import PreparedArticle, prepare_article
from .readers import ReaderOptions, read_bytes
from .readers.base import ReadError, ReadResult
from .signals import batch_imported
from .stories import story_clusters_join
from .verbatim import verbatim_body_conflicts

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int | None], None]
PrepareMap = Callable[..., Iterable]


def import_batch_create(
    *, created_by=None, inputs: Iterable[dict] = (), fmt: str = "auto", source_name: str = "",
    column_map: dict | None = None, total: int | None = None, project_id: int | None = None, verbatim: bool = False,
) -> ImportBatch:
    """Create a pending import batch (a job row); nothing is read yet. ``project_id``: the
    labeling project its articles go to; ``verbatim``: keep every record's text exactly."""
    return ImportBatch.objects.create(
        created_by=created_by, inputs=list(inputs), format=fmt or "auto", source_name=source_name or "",
        column_map=column_map or {}, total=total, project_id=project_id, verbatim=verbatim,
    )


def import_batch_run(
    *, batch: ImportBatch, results: Iterable[ReadResult], on_progress: ProgressCallback | None = None,
    prepare_map: PrepareMap = map,
) -> ImportBatch:
    """Import read results into ``batch``: clean, dedupe, store; failures become records.

    Claims the batch first (pending -> running), so a batch never runs twice. Every chunk
    commits on its own: a bad item or a crash later on never loses the chunks before it.
    Re-importing the same input creates no article (all exact duplicates). Sends
    ``batch_imported`` after the final commit and only then marks the batch done (its articles
    are items of their projects by then). ``prepare_map`` may be a process pool's map.
    """
    _claim(batch)
    done = 0
    try:
        for prepared in _prepared_chunks(batch, results, prepare_map):
            _store_chunk_with_retry(batch, prepared)
            done += len(prepared)
            if on_progress:
                on_progress(done, batch.total)
        # Every chunk has committed: listeners offer the articles to projects before the batch
        # says done, so a client that sees done finds its items.
        batch_imported.send(sender=ImportBatch, batch=batch)
    except Exception as exc:
        logger.exception("Import batch %s failed", batch.pk)
        _finish(batch, ImportBatch.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(batch, ImportBatch.Status.DONE)
    return batch


def _prepared_chunks(batch: ImportBatch, results: Iterable[ReadResult], prepare_map: PrepareMap) -> Iterator[list]:
    """Prepared chunks, in order. Chunk n+1 goes to ``prepare_map`` before chunk n is
    yielded, so with a process pool, cleaning and fingerprinting overlap the writes."""
    pending = None
    for chunk in _chunks(results, settings.INGEST_CHUNK_SIZE):
        submitted = prepare_map(_prepare_one, chunk, [batch.source_name] * len(chunk))
        if pending is not None:
            yield list(pending)
        pending = submitted
    if pending is not None:
        yield list(pending)


def _prepare_one(record: ReadResult, default_source: str) -> PreparedArticle | ReadError:
    return prepare_article(record, default_source=default_source)


def _claim(batch: ImportBatch) -> None:
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        raise Conflict(f"Import batch {batch.pk} has already been run.")
    batch.refresh_from_db()


def _finish(batch: ImportBatch, status: str, *, error: str = "") -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, finished_at=timezone.now(), error=error)
    batch.refresh_from_db()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _store_chunk_with_retry(batch: ImportBatch, prepared: list) -> None:
    # A concurrent import may commit one of our hashes between our check and our insert;
    # the second attempt sees it and counts it as a duplicate.
    try:
        _store_chunk(batch, prepared)
    except IntegrityError:
        logger.info("Import batch %s: concurrent insert, retrying chunk", batch.pk)
        _store_chunk(batch, prepared)


@transaction.atomic
def _store_chunk(batch: ImportBatch, prepared: list) -> None:
    relax_commit_durability()
    prepared = verbatim_body_conflicts(prepared)
    failures = [item for item in prepared if isinstance(item, ReadError)]
    candidates = [item for item in prepared if isinstance(item, PreparedArticle)]
    new, duplicates, ids_by_hash = _split_duplicates(candidates)
    band_keys = np.array([item.band_keys for item in new], dtype=np.int64).reshape(len(new), BANDS)
    # Clusters before articles: each row is written once, with its cluster.
    clusters, joined = story_clusters_join(
        fingerprints=[Fingerprint(signature_from_bytes(item.minhash), item.shingle_count) for item in new],
        band_keys=band_keys,
    )
    ids = _create_articles(batch, new, clusters)
    ids_by_hash.update(zip((item.content_hash for item in new), ids))
    _create_band_keys(ids, band_keys)
    ImportRecord.objects.bulk_create(_records(batch, prepared, set(map(id, duplicates)), ids_by_hash))
    ImportBatch.objects.filter(pk=batch.pk).update(
        processed_count=F("processed_count") + len(prepared), created_count=F("created_count") + len(ids),
        duplicate_count=F("duplicate_count") + len(duplicates), failed_count=F("failed_count") + len(failures),
        near_duplicate_count=F("near_duplicate_count") + joined,
    )


def _records(batch: ImportBatch, prepared: list, duplicates: set[int], ids_by_hash: dict) -> list[ImportRecord]:
    """Records of the failures and duplicates, in input order."""
    records = []
    for item in prepared:
        if isinstance(item, ReadError):
            records.append(ImportRecord(batch=batch, origin=item.origin, outcome=ImportRecord.Outcome.FAILED,
                                        message=item.message))
        elif id(item) in duplicates:
            records.append(ImportRecord(batch=batch, origin=item.origin, outcome=ImportRecord.Outcome.DUPLICATE,
                                        message="same text as an article already stored",
                                        article_id=ids_by_hash[item.content_hash]))
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


def _create_band_keys(ids: list[int], band_keys: np.ndarray) -> None:
    """Store each article's row of ``band_keys`` under its id."""
    owners = np.repeat(np.asarray(ids, dtype=np.int64), band_keys.shape[1])
    band_keys_insert(np.column_stack((band_keys.ravel(), owners)))


def import_batch_inputs_read(*, batch: ImportBatch) -> Iterator[ReadResult]:
    """Read every stored input file of ``batch`` (lazily, one file at a time), with its format and
    column map."""
    fmt = None if batch.format == "auto" else batch.format
    options = ReaderOptions(column_map=batch.column_map or {}, verbatim=batch.verbatim)
    for entry in batch.inputs:
        with default_storage.open(entry["stored"], "rb") as handle:
            yield from read_bytes(entry["name"], handle, fmt=fmt, options=options)
