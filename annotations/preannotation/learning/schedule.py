"""When training runs without a person asking: beat starts a version of a kind once the project
has gained MODEL_RETRAIN_MIN_NEW_GOLD train-side gold items since its last version, and the
sweep recovers trainings whose message or worker was lost."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from newsroom.errors import Conflict
from newsroom.queueing import enqueue

from ...models import Gold, GoldSplit, ModelVersion, Project
from .kinds import KINDS
from .versions import model_version_create

logger = logging.getLogger(__name__)
Status = ModelVersion.Status


def model_versions_due() -> list[ModelVersion]:
    """Periodic: a new version of every (project, kind) with enough new train-side gold since its
    last version (any status). Safe to run twice: a kind already training is skipped."""
    created = []
    projects = Project.objects.filter(items__gold__status=Gold.Status.ACCEPTED).distinct()
    for project in projects:
        for kind in KINDS.values():
            if _new_gold(project, kind) < settings.MODEL_RETRAIN_MIN_NEW_GOLD:
                continue
            try:
                created.append(model_version_create(project=project, kind=kind.name, trigger="new-gold"))
            except Conflict:
                continue  # one is training; the next beat looks again
    return created


def _new_gold(project: Project, kind) -> int:
    """Train-side items of ``kind`` its newest done version was not trained on (all, if it has none),
    or whose gold was accepted again (new labels) after that training read its gold.
    After a failed version, only gold accepted since it counts: the same gold would fail again."""
    newest = ModelVersion.objects.filter(project=project, kind=kind.name).first()
    if newest is not None and newest.status in (Status.PENDING, Status.TRAINING):
        return 0
    done = ModelVersion.objects.filter(project=project, kind=kind.name, status=Status.DONE).first()
    items = {example.item_id for example in kind.examples(project=project, side=GoldSplit.TRAIN)}
    new = items - set(done.trained_on) if done is not None else items
    if done is not None:
        new |= set(Gold.objects.filter(item_id__in=items & set(done.trained_on), status=Gold.Status.ACCEPTED,
                                       created_at__gt=done.started_at or done.created_at)
                   .values_list("item_id", flat=True))
    if newest is not None and newest.status == Status.FAILED:
        return Gold.objects.filter(item_id__in=new, status=Gold.Status.ACCEPTED,
                                   created_at__gt=newest.created_at).count()
    return len(new)


def model_versions_sweep() -> list[int]:
    """Periodic: send again the training of versions no worker has picked up, and hand back
    trainings whose worker died (training past MODEL_TRAINING_STALE_AFTER) to pending, up to
    MODEL_TRAINING_MAX_ATTEMPTS starts; beyond that they are marked failed. Returns the ids sent.

    Idempotent: a training claims its row, so an extra message finds it claimed and does nothing.
    """
    from ...tasks import model_version_train_task  # the task module imports this package

    now = timezone.now()
    stale = Q(status=Status.TRAINING, started_at__lt=now - timedelta(seconds=settings.MODEL_TRAINING_STALE_AFTER))
    ModelVersion.objects.filter(stale, attempts__gte=settings.MODEL_TRAINING_MAX_ATTEMPTS).update(
        status=Status.FAILED, finished_at=now, error="Training was interrupted (worker lost or killed) too often.")
    # Handed back: the killed training never referenced an artifact, so there is no half version.
    handed_back = list(ModelVersion.objects.filter(stale).values_list("pk", flat=True))
    ModelVersion.objects.filter(pk__in=handed_back, status=Status.TRAINING).update(status=Status.PENDING,
                                                                                 started_at=None)
    waiting = ModelVersion.objects.filter(
        Q(created_at__lt=now - timedelta(seconds=settings.MODEL_TRAINING_REQUEUE_AFTER)) | Q(pk__in=handed_back),
        status=Status.PENDING)
    return [pk for pk in waiting.order_by("pk").values_list("pk", flat=True) if enqueue(model_version_train_task, pk)]
