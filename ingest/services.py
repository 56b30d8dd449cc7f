"""Writes of the corpus: import batches and the articles they create."""

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction

from newsroom.db.statistics import tables_analyze

from newsroom.storage import stored_file_local

from .chunks import chunk_store
from .jobs import batch_claim, batch_finish, batch_give_up
from .models import Article, ImportBatch, ImportRecord, StoryBandKey, StoryCluster
from .preparation import PreparedArticle, prepare_article
from .readers import ReaderOptions, detect_format, read_bytes
from .readers.base import RawArticle, ReadError, ReadResult
from .search import import_batch_search_enqueue
from .signals import batch_imported
from .stories import band_keys_lost, band_keys_rebuild

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

    Claims the batch first (pending -> running; Conflict otherwise), so a batch never runs
    twice at once. Resumes: the results its earlier runs committed (``processed_count``, the
    cursor) are skipped. Every chunk commits on its own, offering its articles to projects as
    it does; a bad record fails alone; a lost database connection is retried per chunk. A
    connection that stays lost hands the batch back to pending (for the task's retry or the
    sweep); any other error marks it failed. Re-importing the same input creates no article
    (all exact duplicates). Sends ``batch_imported`` once every chunk has committed and only
    then marks the batch done, having analyzed the tables it filled (PostgreSQL, big batches);
    then queues the job that makes its articles searchable. ``prepare_map`` may be a process
    pool's map. Rebuilds the story band keys first if a database crash lost them.
    """
    # Before the claim: a rebuild of a big corpus takes minutes without heartbeats.
    if band_keys_lost():  # emptied by a crash: without them no article would find its story
        logger.warning("Import batch %s: story band keys lost (database crash?); rebuilt for %d articles",
                       batch.pk, band_keys_rebuild())
    token = batch_claim(batch)
    done = batch.processed_count
    try:
        for prepared in _prepared_chunks(batch, islice(results, done, None), prepare_map):
            chunk_store(batch, token, prepared)
            done += len(prepared)
            if on_progress:
                on_progress(done, batch.total)
        batch_imported.send(sender=ImportBatch, batch=batch)
        tables_analyze(Article, StoryBandKey, StoryCluster, ImportRecord, rows_written=batch.created_count)
        batch_finish(batch, token)
    except BaseException as exc:
        batch_give_up(batch, token, exc)
        raise
    _after_commit(lambda: import_batch_search_enqueue(batch=batch))
    return batch


def _after_commit(send: Callable[[], object]) -> None:
    """Send now, or once the caller's transaction commits (a worker must find the rows)."""
    if connection.in_atomic_block:
        transaction.on_commit(send, robust=True)
    else:
        send()


def _prepared_chunks(batch: ImportBatch, results: Iterable[ReadResult], prepare_map: PrepareMap) -> Iterator[list]:
    """Prepared chunks, in order. Chunk n+1 goes to ``prepare_map`` before chunk n is
    yielded, so with a process pool, cleaning and fingerprinting overlap the writes."""
    pending = None
    for chunk in _chunks(results, settings.INGEST_CHUNK_SIZE, settings.INGEST_CHUNK_MAX_BYTES):
        submitted = prepare_map(_prepare_one, chunk, [batch.source_name] * len(chunk))
        if pending is not None:
            yield list(pending)
        pending = submitted
    if pending is not None:
        yield list(pending)


def _prepare_one(record: ReadResult, default_source: str) -> PreparedArticle | ReadError:
    return prepare_article(record, default_source=default_source)


def _chunks(results: Iterable[ReadResult], size: int, max_bytes: int) -> Iterator[list]:
    """Lists of at most ``size`` results holding at most ``max_bytes`` of text (a single bigger
    record makes a chunk of its own)."""
    chunk, held = [], 0
    for result in results:
        weight = _text_bytes(result)
        if chunk and held + weight > max_bytes:
            yield chunk
            chunk, held = [], 0
        chunk.append(result)
        held += weight
        if len(chunk) >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _text_bytes(result: ReadResult) -> int:
    """Roughly what a record weighs in memory once prepared: its texts (raw, to clean, cleaned)."""
    if isinstance(result, RawArticle):
        return len(result.raw_text) + 2 * len(result.text)
    return len(result.message)


def import_batch_inputs_read(*, batch: ImportBatch) -> Iterator[ReadResult]:
    """Read every stored input file of ``batch`` (lazily, one file at a time), with its format and
    column map."""
    fmt = None if batch.format == "auto" else batch.format
    options = ReaderOptions(column_map=batch.column_map or {}, verbatim=batch.verbatim)
    for entry in batch.inputs:
        # A zip archive is read from its end (the central directory) and then member by member: from
        # an object store that is a local copy, not a request per seek. Other formats stream.
        archive = (fmt or detect_format(entry["name"])) == "zip"
        opened = stored_file_local(entry["stored"]) if archive else default_storage.open(entry["stored"], "rb")
        with opened as handle:
            yield from read_bytes(entry["name"], handle, fmt=fmt, options=options)
