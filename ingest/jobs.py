"""Import batches as jobs: claimed by one run at a time, handed back on a transient error,
and swept when stranded (a message that never reached a worker, a worker that died).

A run claims its batch (pending -> running); ``claimed_at`` is the claim's token, and every
chunk commits only while the token holds, so two runs of one batch can never both count a
chunk. A run that stops committing chunks for INGEST_STALE_AFTER seconds is handed back to
pending by the sweep, and the next run resumes after the last committed chunk.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from newsroom.errors import Conflict
from newsroom.queueing import enqueue

from .models import ImportBatch

logger = logging.getLogger(__name__)

Status = ImportBatch.Status
# Errors of the connection rather than of the data: worth a retry once it is back.
DB_CONNECTION_ERRORS = (OperationalError, InterfaceError)
# A request stores its upload and then claims or enqueues the batch within this; the sweep
# leaves younger unsent batches to it.
UNSENT_GRACE = timedelta(seconds=60)
# Errors are shown in the API and the admin; a traceback-sized message helps nobody there.
MAX_ERROR_LENGTH = 2000
# Pauses between attempts to hand a batch back when its run stopped on a lost connection.
HAND_BACK_PAUSES_S = (0.5, 1.0, 2.0, 4.0)


def batch_claim(batch: ImportBatch) -> datetime:
    """Take a pending batch for this run and return the claim's token; Conflict if it is not pending."""
    now = timezone.now()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(
        status=Status.RUNNING, claimed_at=now, heartbeat_at=now, started_at=Coalesce("started_at", now),
        attempts=F("attempts") + 1, error="")
    batch.refresh_from_db()
    if not claimed:
        raise Conflict(f"Import batch {batch.pk} is {batch.status}; a batch runs once at a time.",
                       detail={"status": batch.status})
    return now


def batch_claimed(batch: ImportBatch, token: datetime) -> QuerySet[ImportBatch]:
    """The batch's row, only while this run's claim holds."""
    return ImportBatch.objects.filter(pk=batch.pk, status=Status.RUNNING, claimed_at=token)


def batch_finish(batch: ImportBatch, token: datetime) -> None:
    """Mark the batch done; Conflict if another run took it over meanwhile."""
    if not batch_claimed(batch, token).update(status=Status.DONE, finished_at=timezone.now(), error=""):
        raise Conflict(f"Import batch {batch.pk} was taken over by another run.")
    batch.refresh_from_db()


def batch_give_up(batch: ImportBatch, token: datetime, exc: BaseException) -> None:
    """After ``exc`` stopped a run: hand a transient failure back (pending, for a retry to resume),
    mark any other failure on the batch. A run that lost its claim leaves the row alone."""
    if isinstance(exc, Conflict):
        return
    if isinstance(exc, DB_CONNECTION_ERRORS):
        logger.warning("Import batch %s: database connection lost; handing it back for a retry", batch.pk)
        changes = {"status": Status.PENDING}
    else:
        logger.error("Import batch %s failed", batch.pk, exc_info=exc)
        changes = {"status": Status.FAILED, "error": f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH],
                   "finished_at": timezone.now()}
    # The connection that failed the run may still be failing: reconnect and try again for a few
    # seconds, since a batch left running is only taken over by the sweep, much later.
    for pause in (0.0, *HAND_BACK_PAUSES_S):
        time.sleep(pause)
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            batch_claimed(batch, token).update(**changes)
            batch.refresh_from_db()
            return
        except DB_CONNECTION_ERRORS:
            continue
    logger.warning("Import batch %s: database unreachable; the sweep takes it over once stale", batch.pk)


def import_batch_enqueue(*, batch: ImportBatch) -> bool:
    """Ask a worker to run (or resume) a pending batch. False if the broker could not be reached:
    the batch stays pending with no ``enqueued_at``, and the sweep sends it once the broker is back."""
    from .tasks import import_batch_run_task  # the task module imports the services

    sent_at = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(enqueued_at=sent_at)
    sent = enqueue(import_batch_run_task, batch.pk)
    if not sent:
        ImportBatch.objects.filter(pk=batch.pk, enqueued_at=sent_at).update(enqueued_at=None)
    batch.refresh_from_db()
    return sent


def import_batches_sweep() -> list[int]:
    """Periodic: resume every stranded batch. Returns the ids of the batches enqueued.

    Stranded: running without a committed chunk for INGEST_STALE_AFTER seconds (its worker
    died; handed back to pending first), or pending and never sent (broker down) or sent
    INGEST_REQUEUE_AFTER seconds ago and still unclaimed (message lost). A batch whose inputs
    were not stored (the command reads files in place) cannot be resumed here and is marked
    failed, as is one that used up INGEST_MAX_ATTEMPTS runs. Idempotent: a run claims its batch,
    so an extra message does nothing.
    """
    now = timezone.now()
    _hand_back_stale(now)
    grace = min(UNSENT_GRACE, timedelta(seconds=settings.INGEST_STALE_AFTER))
    unsent = Q(enqueued_at__isnull=True, created_at__lt=now - grace)
    lost = Q(enqueued_at__lt=now - timedelta(seconds=settings.INGEST_REQUEUE_AFTER))
    sent = []
    for batch in ImportBatch.objects.filter(unsent | lost, status=Status.PENDING).order_by("pk"):
        if _stop_if_hopeless(batch, now):
            continue
        if import_batch_enqueue(batch=batch):
            sent.append(batch.pk)
    return sent


def _hand_back_stale(now: datetime) -> None:
    stale = now - timedelta(seconds=settings.INGEST_STALE_AFTER)
    silent = ImportBatch.objects.filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True),
                                        status=Status.RUNNING)
    for pk in silent.values_list("pk", flat=True):
        # Conditional: a chunk committed since the query keeps the batch with its run.
        handed = ImportBatch.objects.filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True),
                                            pk=pk, status=Status.RUNNING).update(status=Status.PENDING,
                                                                                enqueued_at=None)
        if handed:
            logger.warning("Import batch %s: no chunk committed since %s; handed over to resume", pk, stale)


def _stop_if_hopeless(batch: ImportBatch, now: datetime) -> bool:
    """Mark a batch failed that no run can finish; True if it was."""
    if any("stored" not in entry for entry in batch.inputs):
        error = (f"The import stopped after {batch.processed_count} records and its files were not kept; "
                 "import them again (articles already stored count as duplicates, and are offered again).")
    elif batch.attempts >= settings.INGEST_MAX_ATTEMPTS:
        error = f"Gave up after {batch.attempts} runs that did not finish; see the worker logs."
    else:
        return False
    ImportBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(
        status=Status.FAILED, error=error, finished_at=now)
    return True
