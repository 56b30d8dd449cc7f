"""Dataset releases: immutable, versioned exports built by a worker and downloaded later from storage."""

import hashlib
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import OperationalError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from newsroom.errors import Conflict
from newsroom.queueing import enqueue

from ..models import Project, Release
from .exports import ExportFilters, export_records, exporter_for
from .formats import FORMATS

logger = logging.getLogger(__name__)

Status = Release.Status

# Seconds a build may take: the task's soft time limit (its hard limit adds a grace period).
RELEASE_BUILD_TIME_LIMIT = 2 * 60 * 60
# A row still running this long after its claim belongs to a worker that died (the hard time limit
# has killed any live build by then), so a redelivered message may claim it again.
RELEASE_STALE_AFTER = timedelta(seconds=RELEASE_BUILD_TIME_LIMIT + 15 * 60)
# Errors are shown in the API and the admin; a traceback-sized message helps nobody there.
MAX_ERROR_LENGTH = 2000


# --- selectors ----------------------------------------------------------------

def release_list(*, project: Project) -> QuerySet[Release]:
    """The project's releases, newest version first."""
    return Release.objects.filter(project=project).select_related("project", "created_by").order_by("-version")


def release_file_open(*, release: Release) -> File:
    """The stored file of a done release, opened for reading; Conflict while it is not done."""
    if release.status != Status.DONE:
        reason = f": {release.error}" if release.status == Status.FAILED else "; try again once it is done"
        raise Conflict(f"Release v{release.version} is {release.status}{reason}",
                       detail={"status": release.status})
    return release.file.open("rb")


def filters_to_json(filters: ExportFilters) -> dict:
    """ExportFilters as a JSON object; dates as ISO 8601."""
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in asdict(filters).items()}


def filters_from_json(data: dict) -> ExportFilters:
    """The ExportFilters a release was created with (unknown keys ignored)."""
    dates = {"published_after", "published_before"}
    known = {f.name for f in fields(ExportFilters)}
    return ExportFilters(**{key: parse_datetime(value) if key in dates and value else value
                            for key, value in data.items() if key in known})


# --- services -----------------------------------------------------------------

def release_create(*, project: Project, user, export_format: str, filters: ExportFilters, note: str = "") -> Release:
    """Create the project's next release, pending, and enqueue its build after commit.

    Versions are allocated under a row lock on the project, so concurrent requests get distinct
    consecutive versions; the (project, version) constraint backs this up. Not idempotent: every
    call is a new version. With eager Celery the build has run by the time this returns.
    Raises ExportRefused (a DomainError) for an unknown format, or for every item asked of a
    format that holds only gold, before anything is created.
    """
    from ..tasks import release_build_task  # the task module imports this one

    exporter_for(export_format=export_format, filters=filters)  # refuses what the build could not honour
    with transaction.atomic():
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        latest = Release.objects.filter(project=project).aggregate(latest=Max("version"))["latest"] or 0
        release = Release.objects.create(project=project, version=latest + 1, export_format=export_format,
                                         filters=filters_to_json(filters), note=note, created_by=user)
        # The row is committed whatever happens to the broker: an unreachable broker sets
        # ``queued`` False (the sweep sends the build later), and robust keeps an eager build's
        # error from turning a created release into a 500. A lambda, not a partial: Django logs
        # a failed robust callback by its __qualname__.
        transaction.on_commit(lambda: _send_build(release, release_build_task), robust=True)
    release.refresh_from_db()
    return release


def _send_build(release: Release, task) -> None:
    release.queued = enqueue(task, release.pk)


def releases_sweep() -> list[int]:
    """Periodic: send the build of every release no worker has picked up. Returns their ids.

    Pending RELEASE_REQUEUE_AFTER seconds after creation (the broker was down, or the message
    was lost), or running past RELEASE_STALE_AFTER (its worker died). Idempotent: a build claims
    its row, so an extra message finds it claimed and does nothing.
    """
    from ..tasks import release_build_task  # the task module imports this one

    now = timezone.now()
    waiting = Release.objects.filter(
        Q(status=Status.PENDING, created_at__lt=now - timedelta(seconds=settings.RELEASE_REQUEUE_AFTER))
        | Q(status=Status.RUNNING, started_at__lt=now - RELEASE_STALE_AFTER)).order_by("pk")
    return [pk for pk in waiting.values_list("pk", flat=True) if enqueue(release_build_task, pk)]


def release_build(*, release: Release) -> Release:
    """Export the release's items to its file in storage, with SHA-256, size and counts; mark it done.

    Claims the row first (pending -> running, or running but stale), so a duplicate delivery
    does nothing: it raises Conflict, and a done release is never rebuilt or overwritten. Chunks
    go to a temporary file while hashed (constant memory for streaming formats), then to
    storage under releases/<project>/. On error the stored file is removed, the row marked
    failed with the error, and the error re-raised; a database OperationalError instead hands
    the row back to pending, so the task's retry can claim it again.
    """
    claimed_at = _claim(release)
    try:
        filters = filters_from_json(release.filters)
        exporter = exporter_for(export_format=release.export_format, filters=filters)
        records = export_records(project=release.project, filters=filters)
        with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as buffer:
            checksum, size = _write_hashed(exporter.write(records), buffer)
            name = release_file_name(release)
            release.file.save(name, File(buffer, name=name), save=False)
        finished = _claimed(release, claimed_at).update(
            status=Status.DONE, file=release.file.name, checksum=checksum, size_bytes=size,
            document_count=exporter.summary["documents"], span_count=exporter.summary["spans"],
            summary=exporter.summary, error="", finished_at=timezone.now())
        if not finished:
            raise Conflict(f"Release {release.pk} was claimed by another build; discarding this one.")
    except Exception as exc:
        _discard_file(release)
        _give_up(release, claimed_at, exc)
        raise
    release.refresh_from_db()
    return release


def release_file_name(release: Release) -> str:
    """The file name a release is stored and downloaded under, e.g. election-desk-v3.jsonl."""
    stem = slugify(release.project.name) or f"project-{release.project_id}"
    return f"{stem}-v{release.version}.{FORMATS[release.export_format].extension}"


def _claim(release: Release) -> datetime:
    """Take the row for this build; the claim time is its token. Conflict if it is not claimable."""
    now = timezone.now()
    claimable = Release.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.RUNNING, started_at__lt=now - RELEASE_STALE_AFTER), pk=release.pk)
    if not claimable.update(status=Status.RUNNING, started_at=now, error=""):
        release.refresh_from_db()
        raise Conflict(f"Release v{release.version} of {release.project} is {release.status}; "
                       f"releases are built once.", detail={"status": release.status})
    release.refresh_from_db()
    return now


def _claimed(release: Release, claimed_at: datetime) -> QuerySet[Release]:
    """The row, only while this build's claim holds (a stale-claim takeover changes started_at)."""
    return Release.objects.filter(pk=release.pk, status=Status.RUNNING, started_at=claimed_at)


def _write_hashed(chunks: Iterable[bytes], out: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    out.seek(0)
    return digest.hexdigest(), size


def _discard_file(release: Release) -> None:
    if release.file.name:
        release.file.storage.delete(release.file.name)
        release.file.name = ""


def _give_up(release: Release, claimed_at: datetime, exc: Exception) -> None:
    if isinstance(exc, Conflict):
        return  # another build owns the row now
    if isinstance(exc, OperationalError):
        # Transient: the task retries, and needs the row claimable again. If the database is
        # still unreachable this fails too, and the row waits until it is stale.
        logger.warning("Release %s: database error, handing it back for a retry", release.pk)
        _claimed(release, claimed_at).update(status=Status.PENDING, started_at=None)
        return
    logger.exception("Release %s failed", release.pk)
    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
    _claimed(release, claimed_at).update(status=Status.FAILED, error=error, finished_at=timezone.now())
