"""What each trained version of a project saw of its gold, for measuring it on gold it never saw.

Versions are trained by the learning framework (``learning``: ModelVersion rows, predictions
versioned "model-vN"). Topic classifiers trained before it (TopicClassifier rows, predictions
versioned "gold-vN") are no longer trained; their records are kept, and a project without a
live topics version still suggests with its newest one (``predictors.registry``).
"""

from dataclasses import dataclass

from ..models import Project
from ..models.model_versions import predictor_version
from .predictors.registry import TOPICS_KIND, trained_topic_version


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
