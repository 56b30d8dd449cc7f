"""Pre-annotation: run a project's predictors over its items in batches and store the
suggestions, idempotently.

Work is enqueued as one Celery message per batch of items (never one per article). A batch
stores at most one prediction per (item, predictor, version) — the database's unique
constraint decides — so a retried, redelivered or duplicated message changes nothing. What
a broker outage or a killed worker leaves undone, the periodic sweep enqueues again.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Least
from django.utils import timezone

from newsroom.queueing import enqueue

from ..agreement.reports import project_agreement_mark_stale
from ..models import GoldSplit, Item, PredictionFailure, Prediction, PreannotationRun, Project
from .predictors.base import PredictorError
from .predictors.mapping import ProjectSchema, suggestions_to_labels
from .predictors.registry import ConfiguredPredictor, prediction_context, project_predictors

logger = logging.getLogger(__name__)

Trigger = PreannotationRun.Trigger
Status = PreannotationRun.Status
# Said on a run whose batches could not all be sent.
UNQUEUED_ERROR = ("The task queue could not be reached; the periodic sweep queues the items still missing "
                  "a prediction once it is back.")


@dataclass
class BatchResult:
    stored: int = 0      # new (or replaced) predictions
    existing: int = 0    # items that already had this prediction (a repeated message)
    failed: int = 0
    error: str = ""


# --- enqueueing -------------------------------------------------------------------

def items_missing_prediction(*, project: Project, predictor: str, version: str,
                             items: QuerySet[Item] | None = None) -> QuerySet[Item]:
    """Items without a prediction of this predictor and version, leaving out those that
    failed too often (their failure is on record; a new version tries them again)."""
    items = project.items.all() if items is None else items.filter(project=project)
    done = Prediction.objects.filter(item=OuterRef("pk"), predictor=predictor, version=version)
    given_up = PredictionFailure.objects.filter(item=OuterRef("pk"), predictor=predictor, version=version,
                                                attempts__gte=settings.PREANNOTATION_MAX_ATTEMPTS)
    return items.exclude(Exists(done)).exclude(Exists(given_up))


def preannotation_enqueue(*, project: Project, items: QuerySet[Item] | None = None,
                          predictors: list[str] | None = None, trigger: str = Trigger.MANUAL,
                          replace: bool = False, skip_broken: bool = False) -> list[PreannotationRun]:
    """Enqueue the project's predictors (or only ``predictors``) over ``items`` (default all).

    Only items missing the current version's prediction, unless ``replace`` (then every item
    is predicted again and its current-version prediction overwritten: use it after changing a
    label map). Returns one run per predictor with work to do. Predictors that cannot be built
    (unknown kind, HTTP backend without a URL) raise PredictorError, or are skipped and logged
    with ``skip_broken``.
    """
    runs = []
    for configured in project_predictors(project=project, kinds=predictors, skip_broken=skip_broken):
        run = _enqueue_predictor(project=project, configured=configured, items=items, trigger=trigger,
                                 replace=replace)
        if run is not None:
            runs.append(run)
    return runs


def _enqueue_predictor(*, project, configured: ConfiguredPredictor, items, trigger, replace):
    if replace:
        scope = project.items.all() if items is None else items.filter(project=project)
    else:
        scope = items_missing_prediction(project=project, predictor=configured.name, version=configured.version,
                                         items=items)
    item_ids = list(scope.order_by("pk").values_list("pk", flat=True))
    if not item_ids:
        return None
    run = PreannotationRun.objects.create(project=project, predictor=configured.name, version=configured.version,
                                          trigger=trigger, item_count=len(item_ids))
    size = settings.PREANNOTATION_BATCH_SIZE
    batches = [item_ids[i:i + size] for i in range(0, len(item_ids), size)]
    transaction.on_commit(lambda: _send_batches(run, batches, replace))
    return run


def _send_batches(run: PreannotationRun, batches: list[list[int]], replace: bool) -> None:
    """Send the run's batches; sets ``run.queued``. A broker outage interrupts the run (saying
    so on it) instead of raising: the sweep enqueues its missing items once the broker is back."""
    from ..tasks import preannotate_batch_task

    for batch in batches:
        if not enqueue(preannotate_batch_task, run.pk, batch, replace):
            PreannotationRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
                status=Status.INTERRUPTED, error=UNQUEUED_ERROR, finished_at=timezone.now())
            run.refresh_from_db()
            run.queued = False
            return
    run.queued = True


def preannotation_sweep() -> list[PreannotationRun]:
    """Periodic: hand stale runs over and enqueue every enabled predictor's missing items.

    A run that made no progress for PREANNOTATION_STALE_AFTER seconds (its worker died, its
    messages were lost) is marked interrupted; a predictor with a live run is left to it.
    """
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.PREANNOTATION_STALE_AFTER)
    PreannotationRun.objects.filter(status=Status.RUNNING, updated_at__lt=stale_before).update(
        status=Status.INTERRUPTED, finished_at=now,
        error="No progress for a while (worker stopped or messages lost); the sweep enqueued what was missing.")
    runs = []
    for project in Project.objects.filter(predictors__enabled=True).distinct():
        for configured in project_predictors(project=project, skip_broken=True):
            live = PreannotationRun.objects.filter(project=project, predictor=configured.name,
                                                   version=configured.version, status=Status.RUNNING)
            if live.exists():
                continue
            run = _enqueue_predictor(project=project, configured=configured, items=None, trigger=Trigger.SWEEP,
                                     replace=False)
            if run is not None:
                runs.append(run)
    return runs


# --- running a batch --------------------------------------------------------------

def preannotation_run_batch(*, run_id: int, item_ids: list[int], replace: bool = False) -> BatchResult:
    """Predict one batch and store the suggestions; a predictor's error is recorded per item."""
    run = PreannotationRun.objects.select_related("project").filter(pk=run_id).first()
    if run is None:
        logger.warning("Pre-annotation run %s does not exist; batch dropped", run_id)
        return BatchResult()
    project = run.project
    try:
        configured = next(iter(project_predictors(project=project, kinds=[run.predictor])), None)
    except PredictorError as exc:
        return preannotation_batch_failed(run_id=run_id, item_ids=item_ids, error=str(exc))
    if configured is None:
        error = f"The project no longer uses the predictor {run.predictor!r}."
        return preannotation_batch_failed(run_id=run_id, item_ids=item_ids, error=error)
    rows = list(Item.objects.filter(pk__in=item_ids, project=project).values_list("pk", "article__body"))
    existing = set() if replace else set(Prediction.objects.filter(
        item_id__in=item_ids, predictor=configured.name, version=configured.version).values_list("item_id", flat=True))
    todo = [(pk, body) for pk, body in rows if pk not in existing]
    try:
        suggestions = configured.predictor.predict([body for _, body in todo], prediction_context(project)) \
            if todo else []
        if len(suggestions) != len(todo):
            raise PredictorError(f"{configured.name} returned {len(suggestions)} results for {len(todo)} texts.")
    except PredictorError as exc:
        return preannotation_batch_failed(run_id=run_id, item_ids=[pk for pk, _ in todo], error=str(exc),
                                          existing=len(existing))
    predictions = _predictions(configured, schema=ProjectSchema.of(project),
                               item_ids=[pk for pk, _ in todo], suggestions=suggestions)
    with transaction.atomic():
        _store(predictions, replace=replace)
        _store_uncertainty([pk for pk, _ in todo], suggestions)
        PredictionFailure.objects.filter(item_id__in=[pk for pk, _ in todo], predictor=configured.name,
                                         version=configured.version).delete()
        _progress(run_id, done=len(todo) + len(existing), failed=0)
        _quality_mark_stale(project, item_ids=[pk for pk, _ in todo])
    return BatchResult(stored=len(todo), existing=len(existing))


def _quality_mark_stale(project: Project, *, item_ids: list[int]) -> None:
    """Suggestions for held-out gold items change the predictors' quality, which is stored with the
    agreement report: mark it stale (last in the transaction: it locks the report's row). One
    indexed read for a batch of open items, which do not."""
    if Item.objects.filter(pk__in=item_ids, gold_split=GoldSplit.HELD_OUT).exists():
        project_agreement_mark_stale(project_id=project.pk)


def _predictions(configured, *, schema, item_ids, suggestions) -> list[Prediction]:
    config = configured.config
    predictions = []
    for item_id, suggestion in zip(item_ids, suggestions, strict=True):
        labels, scores = suggestions_to_labels(suggestion, schema=schema, label_map=config.label_map,
                                               options=configured.options)
        predictions.append(Prediction(item_id=item_id, predictor=configured.name, version=configured.version,
                                      labels=labels, scores=scores))
    return predictions


def _store(predictions: list[Prediction], *, replace: bool) -> None:
    if replace:
        Prediction.objects.bulk_create(predictions, update_conflicts=True, update_fields=["labels", "scores"],
                                       unique_fields=["item", "predictor", "version"])
    else:
        # A concurrent duplicate of this batch may have stored some already: keep theirs.
        Prediction.objects.bulk_create(predictions, ignore_conflicts=True)


def _store_uncertainty(item_ids: list[int], suggestions) -> None:
    """Each item's uncertainty, where the predictor gave one: what an uncertainty-ordered queue
    serves first. The newest prediction's value replaces the one before (a new live version)."""
    scored = [Item(pk=item_id, uncertainty=suggestion.uncertainty)
              for item_id, suggestion in zip(item_ids, suggestions, strict=True) if suggestion.uncertainty is not None]
    if scored:
        Item.objects.bulk_update(scored, ["uncertainty"])


def preannotation_batch_failed(*, run_id: int, item_ids: list[int], error: str, existing: int = 0) -> BatchResult:
    """Record that a batch could not be predicted: one failure per item, counted on the run."""
    run = PreannotationRun.objects.filter(pk=run_id).values("predictor", "version").first()
    if run is None:
        return BatchResult(failed=len(item_ids), error=error)
    logger.warning("Pre-annotation run %s: %d items failed: %s", run_id, len(item_ids), error)
    failures = PredictionFailure.objects.filter(predictor=run["predictor"], version=run["version"])
    with transaction.atomic():
        # Items that failed before count one more attempt; the others get their first failure.
        # Two queries for the whole batch, whatever its size.
        failures.filter(item_id__in=item_ids).update(error=error, attempts=F("attempts") + 1,
                                                     updated_at=timezone.now())
        PredictionFailure.objects.bulk_create(
            [PredictionFailure(item_id=item_id, predictor=run["predictor"], version=run["version"], error=error)
             for item_id in item_ids], ignore_conflicts=True)
        _progress(run_id, done=existing, failed=len(item_ids), error=error)
    return BatchResult(existing=existing, failed=len(item_ids), error=error)


def _progress(run_id: int, *, done: int, failed: int, error: str = "") -> None:
    """Count a batch on its run (capped: a repeated batch must not count twice past the total)
    and finish the run when every item is accounted for."""
    now = timezone.now()
    changes = {"done_count": Least(F("done_count") + done, F("item_count")),
               "failed_count": Least(F("failed_count") + failed, F("item_count")), "updated_at": now}
    if error:
        changes["error"] = error[:2000]
    PreannotationRun.objects.filter(pk=run_id).update(**changes)
    PreannotationRun.objects.filter(pk=run_id, status=Status.RUNNING,
                                    done_count__gte=F("item_count") - F("failed_count")).update(
        status=Status.DONE, finished_at=now)
