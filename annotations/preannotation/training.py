"""Topic classifiers trained on a project's own gold, retrained periodically and versioned.

Each gold item is on one side of the project's split for good (``Item.gold_split``, decided
when its first gold is accepted). A classifier is fitted only on the ``train`` side and records
those item ids (``trained_on``); the ``held_out`` side, which no version ever trains on,
calibrates its per-topic thresholds and measures it (see ``calibration``).

Once a project has TOPIC_CLASSIFIER_MIN_GOLD gold items on the train side, a classifier takes
over topic suggestions (predictor "topics", version "gold-vN"); the sweep then fills in the new
version's predictions beside the older ones, so both can be compared.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from ..models.model_versions import predictor_version
from ..models import Gold, GoldSplit, Project, TopicClassifier
from .calibration import (CROSS_FIT_FOLDS, MIN_CALIBRATION_POSITIVES, MIN_PRECISION, UNCALIBRATED_MIN_SCORE,
                          held_out_figures, thresholds_calibrate)
from .predictors.registry import TOPICS_KIND, trained_topic_version

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldTopics:
    """One gold item's text and topic ids."""

    item_id: int
    text: str
    topics: frozenset[int]


def gold_topics(*, project: Project, side: GoldSplit) -> list[GoldTopics]:
    """The accepted gold of the project's items on ``side`` of the split, by item id."""
    rows = (Gold.objects.filter(item__project=project, item__gold_split=side, status=Gold.Status.ACCEPTED)
            .order_by("item_id").values_list("item_id", "item__article__body", "topics"))
    return [GoldTopics(item_id, body, frozenset(topics)) for item_id, body, topics in rows]


def topic_classifier_train(*, project: Project, force: bool = False) -> TopicClassifier | None:
    """Train, calibrate and store the project's next classifier, if it has enough train-side gold
    and that gold changed since the newest classifier (or ``force``). Returns it, else None."""
    train = gold_topics(project=project, side=GoldSplit.TRAIN)
    if len(train) < settings.TOPIC_CLASSIFIER_MIN_GOLD:
        return None
    newest = TopicClassifier.objects.filter(project=project).first()
    if newest is not None and not force and not _train_side_changed(newest, train):
        return None
    from .predictors.topics import train_topic_classifier  # scikit-learn loads only when training

    names = dict(project.topics.values_list("id", "name"))
    ids = {name: pk for pk, name in names.items()}
    try:
        model = train_topic_classifier([gold.text for gold in train],
                                       [{names[pk] for pk in gold.topics if pk in names} for gold in train])
    except ValueError as exc:  # e.g. every topic has too few examples yet
        logger.info("Project %s: no topic classifier trained: %s", project.pk, exc)
        return None
    held_out = gold_topics(project=project, side=GoldSplit.HELD_OUT)
    thresholds, measured = _calibrate(model, held_out, ids=ids)
    version = (TopicClassifier.objects.filter(project=project).aggregate(v=Max("version"))["v"] or 0) + 1
    classifier = TopicClassifier.objects.create(
        project=project, version=version, gold_count=len(train) + len(held_out), holdout_count=len(held_out),
        micro_f1=measured["micro_f1"], subset_accuracy=measured["subset_accuracy"],
        trained_on=[gold.item_id for gold in train], thresholds={str(pk): value for pk, value in thresholds.items()},
        metrics=_metrics(model.metadata, ids, measured, calibrated_on=[gold.item_id for gold in held_out]),
        model=model.to_bytes())
    logger.info("Project %s: topic classifier v%s trained on %s gold items, calibrated on %s held out "
                "(micro-F1 %s)", project.pk, version, len(train), len(held_out), measured["micro_f1"])
    return classifier


def topic_classifiers_train() -> list[TopicClassifier]:
    """Periodic: retrain every project that uses topic suggestions and has new train-side gold."""
    projects = Project.objects.filter(predictors__kind="topics", predictors__enabled=True).distinct()
    return [classifier for project in projects if (classifier := topic_classifier_train(project=project))]


@dataclass(frozen=True)
class TrainedVersion:
    """What a trained version saw of the gold, and its held-out figures from training.

    ``seen``: the items whose labels it was fitted or calibrated on, or None when it was trained
    before that was recorded (it may have seen any gold).
    """

    seen: frozenset[int] | None
    held_out: dict


def trained_versions(*, project: Project) -> dict[tuple[str, str], TrainedVersion]:
    """The project's trained versions by (predictor, version), as predictions name them."""
    versions = {}
    for version, trained_on, metrics in project.topic_classifiers.values_list("version", "trained_on", "metrics"):
        held_out = metrics.get("held_out") or {}
        recorded = "calibrated_on" in held_out
        seen = frozenset(trained_on) | frozenset(held_out["calibrated_on"]) if recorded else None
        versions[(TOPICS_KIND, trained_topic_version(version))] = TrainedVersion(
            seen=seen, held_out=held_out if recorded else {})
    versions.update(_model_versions(project))
    return versions


def _model_versions(project: Project) -> dict[tuple[str, str], TrainedVersion]:
    """The project's done ModelVersions (``learning``): a topics version also saw its held-out items
    (its thresholds are calibrated on them, and its cross-fitted counts are its measure there)."""
    from .learning.kinds import KINDS  # the learning package imports this module's neighbours

    versions = {}
    rows = project.model_versions.filter(status="done").values_list("kind", "version", "trained_on", "held_out_on",
                                                                     "figures")
    for kind, number, trained_on, held_out_on, figures in rows:
        if kind not in KINDS:
            continue
        calibrated = kind == TOPICS_KIND
        seen = frozenset(trained_on) | (frozenset(held_out_on) if calibrated else frozenset())
        measured = figures.get("counts", {}) if calibrated else {}
        versions[(KINDS[kind].predictor_kind, predictor_version(number))] = TrainedVersion(seen=seen, held_out=measured)
    return versions


def _calibrate(model, held_out: list[GoldTopics], *, ids: dict[str, int]) -> tuple[dict, dict]:
    """The model's per-topic thresholds (by topic id) calibrated on ``held_out``, and its
    cross-fitted figures there."""
    scores = [{ids[name]: score for name, score in row.items() if name in ids}
              for row in model.probabilities([gold.text for gold in held_out])]
    labels = [set(gold.topics) for gold in held_out]
    return thresholds_calibrate(scores, labels), held_out_figures(scores, labels)


def _train_side_changed(newest: TopicClassifier, train: list[GoldTopics]) -> bool:
    """New or removed train-side gold items, or one re-accepted with new labels since ``newest``."""
    if {gold.item_id for gold in train} != set(newest.trained_on):
        return True
    return Gold.objects.filter(item__project_id=newest.project_id, item__gold_split=GoldSplit.TRAIN,
                               status=Gold.Status.ACCEPTED, created_at__gt=newest.trained_at).exists()


def _metrics(metadata: dict, ids: dict[str, int], measured: dict, *, calibrated_on: list[int]) -> dict:
    """What the admin and the quality report show of a version; topics keyed by id (as text)."""
    return {
        "train": {"items": metadata["examples"],
                  "positives": {str(ids[name]): count for name, count in metadata["positives"].items() if name in ids},
                  "skipped": metadata["skipped"]},
        "held_out": {**measured, "topics": {str(pk): figures for pk, figures in measured["topics"].items()},
                     "calibrated_on": calibrated_on},
        "rule": {"min_calibration_positives": MIN_CALIBRATION_POSITIVES, "min_precision": MIN_PRECISION,
                 "uncalibrated_min_score": UNCALIBRATED_MIN_SCORE, "cross_fit_folds": CROSS_FIT_FOLDS},
    }
