"""ModelVersion rows: creating one (one training per project and kind), training it on the
train side of the gold, measuring it on the held-out side, and promoting it only if it beats the
live version on the same held-out items; a manager's promotion and roll-back."""

import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from newsroom.errors import Conflict, DomainError
from newsroom.queueing import enqueue

from ...agreement.reports import project_agreement_mark_stale
from ...models import GoldSplit, ModelVersion, Project
from .kinds import kind_get
from .limits import failure_reason, memory_limit, thread_limit

logger = logging.getLogger(__name__)
Status = ModelVersion.Status


def model_version_create(*, project: Project, kind: str, trigger: str = "manual",
                         settings: dict | None = None) -> ModelVersion:
    """Create the project's next version of ``kind``, pending, and enqueue its training after commit
    (``version.queued`` says whether the message reached the broker; the sweep resends it if not).

    Raises DomainError for an unknown kind, Conflict while a version of that kind is pending or
    training (a partial unique constraint: one training per project and kind). Not idempotent.
    """
    from ...tasks import model_version_train_task  # the task module imports this package

    try:
        kind_get(kind)
    except ValueError as exc:
        raise DomainError(str(exc)) from exc
    try:
        with transaction.atomic():
            Project.objects.select_for_update().only("pk").get(pk=project.pk)
            latest = ModelVersion.objects.filter(project=project, kind=kind).aggregate(v=Max("version"))["v"] or 0
            version = ModelVersion.objects.create(project=project, kind=kind, version=latest + 1, trigger=trigger,
                                                  settings=settings or {})
            transaction.on_commit(lambda: _send_training(version, model_version_train_task), robust=True)
    except IntegrityError as exc:
        raise Conflict(f"A {kind} model of this project is already pending or training.") from exc
    version.refresh_from_db()  # keeps ``queued``, set by the callback once the transaction committed
    return version


def _send_training(version: ModelVersion, task) -> None:
    version.queued = enqueue(task, version.pk)


def model_version_train(*, version_id: int) -> ModelVersion | None:
    """Train a pending version: claim it (pending -> training), fit on train-side gold, measure on
    held-out gold, store the artifact and figures (done), and promote it if it beats the live one.

    Idempotent: a version not pending (claimed by another worker, done, failed) is left alone and
    None returned. Any error of the training itself marks the version failed with the error, and so
    does going over MODEL_TRAINING_MAX_MEMORY_MB (``limits``) or the task's soft time limit; the
    model is stored only once it is complete, so a failed version has no artifact.
    """
    claimed = ModelVersion.objects.filter(pk=version_id, status=Status.PENDING).update(
        status=Status.TRAINING, started_at=timezone.now(), attempts=F("attempts") + 1, error="")
    if not claimed:
        return None
    version = ModelVersion.objects.select_related("project").get(pk=version_id)
    try:
        with memory_limit(settings.MODEL_TRAINING_MAX_MEMORY_MB), thread_limit(settings.MODEL_TRAINING_THREADS):
            _train(version)
    except Exception as exc:  # the training's own failure (too little gold, a time or memory limit): its record
        logger.warning("Model version %s failed: %s", version_id, exc, exc_info=True)
        ModelVersion.objects.filter(pk=version_id, status=Status.TRAINING).update(
            status=Status.FAILED, error=failure_reason(exc), finished_at=timezone.now())
    return ModelVersion.objects.get(pk=version_id)


def _train(version: ModelVersion) -> None:
    kind, project = kind_get(version.kind), version.project
    train = kind.examples(project=project, side=GoldSplit.TRAIN)
    held_out = kind.examples(project=project, side=GoldSplit.HELD_OUT)
    limit = version.settings.get("train_limit")
    train = train[:limit] if limit else train
    if not held_out:
        raise ValueError("No held-out gold of this kind yet: a version could not be measured.")
    if {example.item_id for example in train} & {example.item_id for example in held_out}:
        raise ValueError("An item is on both sides of the gold split.")  # never train on what measures it
    started = time.perf_counter()
    model = kind.calibrate(kind.train(train, project=project, settings=version.settings), held_out)
    figures = kind.evaluate(model, held_out, project=project)
    data = kind.to_bytes(model)
    duration = time.perf_counter() - started
    comparison = _compare_with_live(version, kind, held_out, figures.get(kind.score_key))
    if getattr(kind, "must_beat_baseline", False):  # entities: also the shipped model, on the same items
        baseline = figures["baseline"].get(kind.score_key)
        comparison.update(baseline_score=baseline,
                          better=comparison["better"] and (baseline is None or figures.get(kind.score_key) > baseline))
    with transaction.atomic():
        # The file first, the row after: a training killed in between leaves an unreferenced
        # file and a row still "training" (the sweep retries it), never a done row without a model.
        version.artifact.save(f"v{version.version}-{uuid.uuid4().hex[:8]}.bin", ContentFile(data), save=False)
        ModelVersion.objects.filter(pk=version.pk).update(
            status=Status.DONE, artifact=version.artifact.name, figures=figures,
            score=figures.get(kind.score_key), trained_on=_item_ids(train), held_out_on=_item_ids(held_out),
            held_out_count=len(_item_ids(held_out)),
            duration_seconds=round(duration, 3), comparison=comparison, finished_at=timezone.now(),
            promotion=ModelVersion.Promotion.PROMOTED if comparison["better"] else ModelVersion.Promotion.NOT_PROMOTED)
        if comparison["better"]:
            _make_live(ModelVersion.objects.get(pk=version.pk), promotion=ModelVersion.Promotion.PROMOTED)
        project_agreement_mark_stale(project_id=version.project_id)  # a new row of the predictors' quality
    logger.info("Project %s: %s v%s trained on %s gold items, measured on %s held out (%s %s)%s", project.pk,
                version.kind, version.version, len(train), len(held_out), kind.score_key,
                figures.get(kind.score_key), "; promoted" if comparison["better"] else "; not promoted")


def _item_ids(examples) -> list[int]:
    """The examples' items, once each (an entity-sentiment example is one mention of an item)."""
    return list(dict.fromkeys(example.item_id for example in examples))


def _compare_with_live(version: ModelVersion, kind, held_out, score: float | None) -> dict:
    """The new version's score beside the live version's, measured now on the same held-out items.
    ``better``: there is no live version, or the new score is strictly higher."""
    live = ModelVersion.objects.filter(project_id=version.project_id, kind=version.kind, live=True).first()
    if live is None:
        return {"live_version": None, "live_score": None, "score": score, "items": len(held_out),
                "better": score is not None}
    live_model = kind.calibrate(model_version_load(live), held_out)
    live_score = kind.evaluate(live_model, held_out, project=version.project).get(kind.score_key)
    better = score is not None and (live_score is None or score > live_score)
    return {"live_version": live.version, "live_score": live_score, "score": score, "items": len(held_out),
            "better": better}


def model_version_load(version: ModelVersion):
    """The version's model, read from storage through its kind."""
    with version.artifact.open("rb") as handle:
        return kind_get(version.kind).from_bytes(handle.read())


def model_version_promote(*, version: ModelVersion) -> ModelVersion:
    """Make a done version its kind's live one in the project, whatever its figures (a manager's
    choice). Idempotent. Raises Conflict for a version that is not done."""
    if version.status != Status.DONE:
        raise Conflict(f"Only a done version can be live; this one is {version.status}.")
    if version.live:
        return version
    with transaction.atomic():
        _make_live(version, promotion=ModelVersion.Promotion.MANUAL)
    version.refresh_from_db()
    return version


def model_version_rollback(*, project: Project, kind: str) -> ModelVersion:
    """Make live again the version that was live before the current one. Raises Conflict if none was."""
    live = ModelVersion.objects.filter(project=project, kind=kind, live=True).first()
    earlier = ModelVersion.objects.filter(project=project, kind=kind, status=Status.DONE, live=False,
                                          promoted_at__isnull=False)
    if live is not None:
        earlier = earlier.filter(promoted_at__lt=live.promoted_at)
    previous = earlier.order_by("-promoted_at").first()
    if previous is None:
        raise Conflict(f"No earlier live {kind} version to roll back to.")
    return model_version_promote(version=previous)


def _make_live(version: ModelVersion, *, promotion: str) -> None:
    """Within a transaction: the kind's live version is ``version`` (the old one steps down first,
    as the one-live constraint requires). A version promoted by its training keeps that promotion."""
    list(ModelVersion.objects.select_for_update().filter(project_id=version.project_id, kind=version.kind)
         .values_list("pk", flat=True))  # promotions of one kind take turns
    ModelVersion.objects.filter(project_id=version.project_id, kind=version.kind, live=True).exclude(
        pk=version.pk).update(live=False)
    fields = {"live": True, "promoted_at": timezone.now()}
    if not version.live and version.promotion != ModelVersion.Promotion.PROMOTED:
        fields["promotion"] = promotion
    ModelVersion.objects.filter(pk=version.pk).update(**fields)


def model_version_list(*, project: Project, kind: str | None = None):
    """The project's versions, newest first per kind."""
    versions = ModelVersion.objects.filter(project=project).order_by("kind", "-version")
    return versions.filter(kind=kind) if kind else versions
