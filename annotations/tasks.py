"""Celery adapters for labeling: load by id, call one service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from newsroom.errors import Conflict

from .agreement.reports import project_agreement_refresh, project_agreements_sweep
from .datasets.releases import RELEASE_BUILD_TIME_LIMIT, release_build, releases_sweep
from .models import Release
from .preannotation.runs import preannotation_batch_failed, preannotation_run_batch, preannotation_sweep
from .preannotation.learning.limits import lower_priority
from .preannotation.learning.schedule import model_versions_due, model_versions_sweep
from .preannotation.learning.versions import model_version_train
from .queue import assignments_expire

logger = logging.getLogger(__name__)
# Seconds between a training's soft time limit (marked failed, cleanly) and the hard one (killed).
MODEL_TRAINING_HARD_LIMIT_MARGIN = 60


@shared_task(bind=True, name="annotations.release_build", acks_late=True,
             soft_time_limit=RELEASE_BUILD_TIME_LIMIT, time_limit=RELEASE_BUILD_TIME_LIMIT + 5 * 60,
             autoretry_for=(OperationalError,), retry_backoff=5, retry_backoff_max=10 * 60, retry_jitter=True,
             max_retries=6)
def release_build_task(self, release_id: int) -> None:
    """Build a pending release: its file in storage, checksum and counts on the row.

    acks_late is safe: the build claims the row (pending -> running) before any work, so a
    redelivered or duplicate message finds it claimed, or done, and does nothing. Retries only
    database connection errors (the service hands the row back to pending first); a missing
    row is logged, not retried.
    """
    release = Release.objects.select_related("project").filter(pk=release_id).first()
    if release is None:
        logger.warning("Release %s does not exist; nothing to build", release_id)
        return
    try:
        release_build(release=release)
    except Conflict as exc:
        logger.info("Release %s not built: %s", release_id, exc)


@shared_task(bind=True, name="annotations.releases_sweep", soft_time_limit=5 * 60, time_limit=6 * 60)
def releases_sweep_task(self) -> int:
    """Periodic: send the builds of releases whose message never reached a worker, or whose worker died."""
    return len(releases_sweep())


@shared_task(bind=True, name="annotations.assignments_expire", soft_time_limit=5 * 60, time_limit=6 * 60)
def assignments_expire_task(self) -> int:
    """Periodic: expire run-out leases so abandoned items return to the pool.

    Idempotent (each assignment expires once, by a conditional update); the queue also
    expires a project's leases whenever someone asks it for work.
    """
    return assignments_expire()


@shared_task(bind=True, name="annotations.preannotate_batch", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.PREANNOTATION_SOFT_TIME_LIMIT,
             time_limit=settings.PREANNOTATION_SOFT_TIME_LIMIT + 60,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, retry_backoff_max=5 * 60,
             retry_jitter=True, max_retries=6)
def preannotate_batch_task(self, run_id: int, item_ids: list[int], replace: bool = False) -> dict:
    """Run one predictor over one batch of items and store the suggestions.

    acks_late and reject_on_worker_lost are safe because the batch is idempotent: the unique
    (item, predictor, version) constraint keeps a redelivered batch from storing twice. Database
    connection errors are retried with back-off; a batch over its time limit is recorded as
    failed for its items (the sweep retries them, up to PREANNOTATION_MAX_ATTEMPTS).
    """
    try:
        result = preannotation_run_batch(run_id=run_id, item_ids=item_ids, replace=replace)
    except SoftTimeLimitExceeded:
        error = f"Batch of {len(item_ids)} items exceeded the time limit of {settings.PREANNOTATION_SOFT_TIME_LIMIT} s."
        result = preannotation_batch_failed(run_id=run_id, item_ids=item_ids, error=error)
    return {"stored": result.stored, "existing": result.existing, "failed": result.failed}


@shared_task(bind=True, name="annotations.preannotation_sweep", soft_time_limit=5 * 60, time_limit=6 * 60)
def preannotation_sweep_task(self) -> int:
    """Periodic: enqueue every enabled predictor's missing predictions (nothing lost to an outage)."""
    return len(preannotation_sweep())


@shared_task(bind=True, name="annotations.model_version_train", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.MODEL_TRAINING_SOFT_TIME_LIMIT,
             time_limit=settings.MODEL_TRAINING_SOFT_TIME_LIMIT + MODEL_TRAINING_HARD_LIMIT_MARGIN)
def model_version_train_task(self, version_id: int) -> str | None:
    """Train one pending model version (routed to the training queue: CELERY_TASK_ROUTES).

    acks_late is safe: the training claims its row (pending -> training) first, so a redelivered
    or duplicate message does nothing. Over the soft time limit (or MODEL_TRAINING_MAX_MEMORY_MB)
    the version is marked failed; a worker killed mid-training (the hard time limit) leaves it
    "training" until the sweep hands it back to pending, up to MODEL_TRAINING_MAX_ATTEMPTS times.
    In a worker, the process first lowers its CPU priority (MODEL_TRAINING_NICE), so that
    pre-annotation and imports on the same machine come first.
    """
    if not self.request.is_eager:  # never the web process of the embedded default
        lower_priority(settings.MODEL_TRAINING_NICE)
    version = model_version_train(version_id=version_id)
    return None if version is None else version.status


@shared_task(bind=True, name="annotations.model_versions_due", soft_time_limit=10 * 60, time_limit=11 * 60)
def model_versions_due_task(self) -> int:
    """Periodic: start a version of every kind that gained enough new gold since its last one."""
    return len(model_versions_due())


@shared_task(bind=True, name="annotations.model_versions_sweep", soft_time_limit=5 * 60, time_limit=6 * 60)
def model_versions_sweep_task(self) -> int:
    """Periodic: resend lost trainings and hand back those whose worker died."""
    return len(model_versions_sweep())


@shared_task(bind=True, name="annotations.project_agreement_refresh", acks_late=True,
             soft_time_limit=settings.AGREEMENT_REFRESH_TIME_LIMIT, time_limit=settings.AGREEMENT_REFRESH_TIME_LIMIT + 60,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=5, retry_backoff_max=5 * 60,
             retry_jitter=True, max_retries=3)
def project_agreement_refresh_task(self, project_id: int) -> int | None:
    """Recompute and store a project's agreement report if its labels changed since the last one.

    acks_late is safe: the refresh claims the row before working and stores only while its claim
    holds, so a redelivered or duplicate message does nothing. Returns the refresh's duration
    in ms (None: nothing to do).
    """
    stored = project_agreement_refresh(project_id=project_id)
    return None if stored is None else stored.duration_ms


@shared_task(bind=True, name="annotations.project_agreements_sweep", soft_time_limit=5 * 60, time_limit=6 * 60)
def project_agreements_sweep_task(self) -> int:
    """Periodic: resend agreement refreshes whose message was lost or whose worker died."""
    return len(project_agreements_sweep())
