"""Celery adapters for ingest: load by id, call one service."""

import logging

from celery import shared_task

from .models import ImportBatch
from .services import import_batch_inputs_read, import_batch_run

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="ingest.import_batch_run", soft_time_limit=2 * 60 * 60, time_limit=2 * 60 * 60 + 300)
def import_batch_run_task(self, batch_id: int) -> None:
    """Import the stored upload of a pending batch; counters on the batch row show progress.

    Not acks_late: the batch is claimed (pending -> running) before any work, so a
    redelivered message finds it claimed and does nothing.
    """
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        logger.warning("Import batch %s does not exist; nothing to do", batch_id)
        return
    if batch.status != ImportBatch.Status.PENDING:
        logger.info("Import batch %s is %s; not running it again", batch_id, batch.status)
        return
    import_batch_run(batch=batch, results=import_batch_inputs_read(batch=batch))
