"""Celery adapters for labeling: load by id, call one service."""

import logging

from celery import shared_task
from django.db import OperationalError

from newsroom.errors import Conflict

from .models import Release
from .queue import assignments_expire
from .releases import RELEASE_BUILD_TIME_LIMIT, release_build

logger = logging.getLogger(__name__)


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


@shared_task(bind=True, name="annotations.assignments_expire", soft_time_limit=5 * 60, time_limit=6 * 60)
def assignments_expire_task(self) -> int:
    """Periodic: expire run-out leases so abandoned items return to the pool.

    Idempotent (each assignment expires once, by a conditional update); the queue also
    expires a project's leases whenever someone asks it for work.
    """
    return assignments_expire()
