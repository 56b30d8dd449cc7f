"""Topics under the training framework: the gold topic classifier (``predictors.topics``) with
its per-topic thresholds calibrated on held-out gold (``calibration``), versioned like every kind.

Its held-out figures are cross-fitted (each held-out item decided by thresholds calibrated on
the others), so calibrating on held-out gold does not flatter them.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from ...models import GoldSplit, Project
from ..calibration import held_out_figures, thresholds_calibrate
from ..predictors.topics import TrainedTopicModel, TrainedTopicPredictor, train_topic_classifier
from .base import Example, accepted_gold


@dataclass
class CalibratedTopicModel:
    """A topic classifier (topic names), the project's topic ids by name, and the thresholds by topic id."""

    model: TrainedTopicModel
    ids: dict[str, int]
    thresholds: dict[int, float | None]

    def scores(self, texts: list[str]) -> list[dict[int, float]]:
        """Topic id -> probability for each text."""
        return [{self.ids[name]: score for name, score in row.items() if name in self.ids}
                for row in self.model.probabilities(texts)]


class TopicsKind:
    """Multi-label topics: gold items with at least one topic."""

    name = "topics"
    predictor_kind = "topics"
    score_key = "micro_f1"

    def examples(self, *, project: Project, side: GoldSplit) -> list[Example]:
        return [Example(gold.item_id, gold.item.article.body, frozenset(gold.topics))
                for gold in accepted_gold(project=project, side=side) if gold.topics]

    def train(self, examples: list[Example], *, project: Project, settings: dict) -> CalibratedTopicModel:
        names = dict(project.topics.values_list("id", "name"))
        model = train_topic_classifier([example.text for example in examples],
                                       [{names[pk] for pk in example.label if pk in names} for example in examples])
        return CalibratedTopicModel(model=model, ids={name: pk for pk, name in names.items()}, thresholds={})

    def calibrate(self, model: CalibratedTopicModel, held_out: list[Example]) -> CalibratedTopicModel:
        scores = model.scores([example.text for example in held_out])
        thresholds = thresholds_calibrate(scores, [set(example.label) for example in held_out])
        return CalibratedTopicModel(model=model.model, ids=model.ids, thresholds=thresholds)

    def evaluate(self, model: CalibratedTopicModel, held_out: list[Example], *, project: Project) -> dict:
        measured = held_out_figures(model.scores([example.text for example in held_out]),
                                    [set(example.label) for example in held_out])
        names = {pk: name for name, pk in model.ids.items()}
        per_label = {names.get(pk, str(pk)): _topic_figures(figures) for pk, figures in measured["topics"].items()}
        f1s = [figures["f1"] for figures in per_label.values()]
        return {"n_items": len(held_out), "accuracy": measured["subset_accuracy"],
                "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None, "micro_f1": measured["micro_f1"],
                "micro_precision": measured["micro_precision"], "micro_recall": measured["micro_recall"],
                "per_label": per_label, "counts": {key: measured[key] for key in ("items", "matched", "suggested", "gold")}}

    def to_bytes(self, model: CalibratedTopicModel) -> bytes:
        return pickle.dumps({"model": model.model.to_bytes(), "ids": model.ids, "thresholds": model.thresholds},
                            protocol=pickle.HIGHEST_PROTOCOL)

    def from_bytes(self, data: bytes) -> CalibratedTopicModel:
        """Safe only because the bytes are ones this app wrote (never an upload)."""
        parts = pickle.loads(data)
        return CalibratedTopicModel(model=TrainedTopicModel.from_bytes(parts["model"]), ids=parts["ids"],
                                    thresholds=parts["thresholds"])

    def predictor(self, model: CalibratedTopicModel, *, version: str) -> TrainedTopicPredictor:
        return TrainedTopicPredictor(model.model, version=version, topic_thresholds=model.thresholds)


def _topic_figures(figures: dict) -> dict:
    precision, recall = figures["precision"] or 0.0, figures["recall"] or 0.0
    f1 = 2 * figures["matched"] / (figures["suggested"] + figures["positives"]) if figures["suggested"] + \
        figures["positives"] else 0.0
    return {"p": precision, "r": recall, "f1": round(f1, 4), "support": figures["positives"]}
