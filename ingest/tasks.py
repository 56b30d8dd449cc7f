"""Celery adapters for ingest: load by id, call one service."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from newsroom.errors import Conflict

from .jobs import import_batches_sweep
from .models import ImportBatch
from .search import import_batch_search_build, search_vectors_sweep
from .services import import_batch_inputs_read, import_batch_run

logger = logging.getLogger(__name__)

# Seconds an import may take: the task's soft time limit (its hard limit adds a grace period).
IMPORT_TIME_LIMIT = 2 * 60 * 60


@shared_task(bind=True, name="ingest.import_batch_run", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=IMPORT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT + 300,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=5 * 60,
             retry_jitter=True, max_retries=6)
def import_batch_run_task(self, batch_id: int) -> None:
    """Import (or resume) the stored upload of a pending batch; counters on the row show progress.

    acks_late and reject_on_worker_lost are safe: the run claims the batch (pending -> running)
    before any work, so a redelivered or duplicate message finds it claimed, or done, and does
    nothing; a resumed run skips the chunks already committed. Database connection errors that
    outlast the per-chunk retries hand the batch back to pending and are retried here with
    back-off; a missing batch is logged, not retried.
    """
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        logger.warning("Import batch %s does not exist; nothing to do", batch_id)
        return
    try:
        import_batch_run(batch=batch, results=import_batch_inputs_read(batch=batch))
    except Conflict as exc:
        logger.info("Import batch %s not run: %s", batch_id, exc)


@shared_task(bind=True, name="ingest.import_batches_sweep", soft_time_limit=5 * 60, time_limit=6 * 60)
def import_batches_sweep_task(self) -> int:
    """Periodic: resume imports whose message never reached a worker or whose worker died."""
    return len(import_batches_sweep())


@shared_task(bind=True, name="ingest.import_batch_search_build", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=IMPORT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT + 300,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=5 * 60,
             retry_jitter=True, max_retries=6)
def import_batch_search_build_task(self, batch_id: int) -> int:
    """Build the search vectors of a batch's articles; the batch's ``search_indexed_count`` shows
    progress. Idempotent (articles with a vector are skipped), so acks_late is safe; a missing
    batch is logged, not retried."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        logger.warning("Import batch %s does not exist; no search vectors to build", batch_id)
        return 0
    return import_batch_search_build(batch=batch)


@shared_task(bind=True, name="ingest.search_vectors_sweep", soft_time_limit=30 * 60, time_limit=35 * 60)
def search_vectors_sweep_task(self) -> int:
    """Periodic: build the search vectors whose job never reached a worker."""
    return search_vectors_sweep()
