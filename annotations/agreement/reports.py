"""Each project's agreement report, stored: computed by a worker after labels change, never in a
request, and read by the dashboard and the API with its age. The quality of the project's
predictors on held-out gold (``preannotation.quality``) is computed and stored with it, for the
dashboard: it changes with the gold and the annotations too, and also when suggestions are
stored for held-out gold items or a trained version is done, which mark the report stale as well.

A label change marks the project's row stale once (``stale_since`` was null) and enqueues one
refresh AGREEMENT_REFRESH_DELAY seconds later; the changes after it find the row marked and
write nothing, so fifty annotators submitting queue one refresh and touch the row once. The
refresh claims the row (clearing the mark) before it reads the labels, so a change during the
refresh marks the row again and queues the next one. ``project_agreements_sweep`` resends what
a lost message or a dead worker left behind.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsroom.queueing import enqueue, enqueue_after

from ..models import Project, ProjectAgreement
from .project import project_agreement
from .selectors import project_agreement_report

logger = logging.getLogger(__name__)
# A refresh waits at least this many times as long as the last one took: while people label
# all day, a big project's refreshes take at most a tenth of a worker's time.
REFRESH_SPACING = 10


def project_agreement_mark_stale(*, project_id: int) -> bool:
    """Note that the project's labels changed: mark its report stale and, if it was not marked
    already, enqueue a refresh after the commit (delayed by AGREEMENT_REFRESH_DELAY, or
    REFRESH_SPACING times the last refresh's duration if longer, so that the changes of the next
    moments share it). Returns whether a refresh was enqueued. One read while
    the report is marked; call it inside the transaction that changes the labels, after its other
    locks (marking locks the report's row)."""
    marked = _mark(project_id)
    if marked is None or _eager():
        # Eager mode has no worker: a refresh sent now would run inside this request, once per
        # change. The stale report is refreshed when it is read instead (project_agreement_request).
        return False
    countdown = max(settings.AGREEMENT_REFRESH_DELAY, REFRESH_SPACING * (marked or 0) / 1000)
    transaction.on_commit(lambda: _send(project_id, countdown=countdown), robust=True)
    return True


def project_agreement_request(*, project: Project) -> ProjectAgreement:
    """The project's stored report row; when it has no report and none is on its way (no row yet,
    or a refresh was lost), ask for one at once. Reads one row, writes only then."""
    stored = ProjectAgreement.objects.filter(pk=project.pk).first()
    if _eager() and (stored is None or stored.stale_since is not None):
        if stored is None:
            _mark(project.pk)
        project_agreement_refresh(project_id=project.pk)
        return ProjectAgreement.objects.get(pk=project.pk)
    if stored is None or (stored.report is None and not stored.pending):
        if _mark(project.pk, unless_running=True) is not None:
            transaction.on_commit(lambda: _send(project.pk, countdown=0), robust=True)
        stored = ProjectAgreement.objects.get(pk=project.pk)  # in eager mode the refresh has run by now
    return stored


def _mark(project_id: int, *, unless_running: bool = False) -> int | None:
    """Set the report's ``stale_since`` unless it is set (or, ``unless_running``, a refresh runs).
    Returns None when this call did not set it, else how long the last refresh took (ms; 0 for
    none). A plain read while it is set: the row is written once per refresh, and of concurrent
    callers exactly one sets it (the others' conditional update then matches nothing). Creates
    the row without a savepoint (INSERT ... ON CONFLICT DO NOTHING)."""
    rows = ProjectAgreement.objects.filter(pk=project_id)
    state = rows.values_list("stale_since", "refresh_started_at", "duration_ms").first()
    if state is None:
        ProjectAgreement.objects.bulk_create([ProjectAgreement(project_id=project_id)], ignore_conflicts=True)
    elif state[0] is not None or (unless_running and state[1] is not None):
        return None
    unmarked = rows.filter(stale_since__isnull=True)
    if unless_running:
        unmarked = unmarked.filter(refresh_started_at__isnull=True)
    if not unmarked.update(stale_since=timezone.now()):
        return None
    return (state[2] if state else None) or 0


def project_agreement_refresh(*, project_id: int) -> ProjectAgreement | None:
    """Compute the project's report (``project_agreement_report``) and store it, if it is stale.

    Claims the row first (clears ``stale_since``, sets ``refresh_started_at``): a duplicate
    message finds nothing stale and does nothing, and a label change during the computation
    marks the row again. Stores only while its claim holds, so an older refresh finishing after
    a newer one never overwrites it. Returns the stored row, or None when there was nothing to do.
    Idempotent.
    """
    started = timezone.now()
    claimed = ProjectAgreement.objects.filter(pk=project_id, stale_since__isnull=False).update(
        stale_since=None, refresh_started_at=started)
    project = Project.objects.filter(pk=project_id).first()
    if not claimed or project is None:
        return None
    from ..preannotation.quality import predictor_quality_report  # that package imports this one

    clock = time.monotonic()
    report = project_agreement_report(project=project)
    predictors = predictor_quality_report(project=project)
    stored = ProjectAgreement.objects.filter(pk=project_id, refresh_started_at=started).update(
        report=report, predictors=predictors, computed_at=started, refresh_started_at=None,
        duration_ms=_ms_since(clock),
        annotations=sum(summary["items"] for summary in report["per_annotator"].values()))
    if not stored:
        logger.info("Agreement of project %s: a newer refresh took over; this one is not stored", project_id)
        return None
    return ProjectAgreement.objects.get(pk=project_id)


def project_agreements_sweep() -> list[int]:
    """Periodic: resend the refresh of every report stale for longer than its delay and
    AGREEMENT_REQUEUE_AFTER (the message was lost, or the broker was down), and hand back the
    claims of refreshes running past it (their worker died). Returns the projects' ids.
    Idempotent: a refresh with nothing stale does nothing."""
    now = timezone.now()
    after = timedelta(seconds=settings.AGREEMENT_REQUEUE_AFTER)
    dead = ProjectAgreement.objects.filter(refresh_started_at__lt=now - after)
    dead.filter(stale_since__isnull=True).update(stale_since=now)
    dead.update(refresh_started_at=None)
    waiting = ProjectAgreement.objects.filter(
        Q(stale_since__lt=now - after - timedelta(seconds=settings.AGREEMENT_REFRESH_DELAY))
        | Q(stale_since=now)).order_by("pk")
    return [pk for pk in waiting.values_list("pk", flat=True) if _send(pk, countdown=0)]


def project_agreement_stored(*, project: Project) -> dict:
    """The project's stored report (``AgreementReport.as_dict()``; its empty shape while the first
    is computed) with its age: ``computed_at`` (None: being computed, and asked for), ``pending``
    (labels changed since, or a refresh is running: a newer report is on its way), ``stale_since``
    (the first label change it does not cover), ``annotations`` (how many it covers) and
    ``predictors`` (``predictor_quality_report()`` as of ``computed_at``; empty before it)."""
    stored = project_agreement_request(project=project)
    return {**(stored.report or project_agreement_empty(project=project)), "computed_at": stored.computed_at,
            "pending": stored.pending, "stale_since": stored.stale_since, "annotations": stored.annotations,
            "predictors": stored.predictors or []}


def project_agreement_empty(*, project: Project) -> dict:
    """The report's shape with nothing in it, for a project whose first report is on its way."""
    return project_agreement([], sentiment_scale=project.sentiment_scale, topic_ids=(), entity_labels=()).as_dict()


def _send(project_id: int, *, countdown: float) -> bool:
    from ..tasks import project_agreement_refresh_task  # the task module imports this one

    if countdown:
        return enqueue_after(project_agreement_refresh_task, project_id, countdown=countdown)
    return enqueue(project_agreement_refresh_task, project_id)


def _eager() -> bool:
    from ..tasks import project_agreement_refresh_task  # the task module imports this one

    return bool(project_agreement_refresh_task.app.conf.task_always_eager)


def _ms_since(clock: float) -> int:
    return int((time.monotonic() - clock) * 1000)
