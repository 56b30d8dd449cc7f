"""Document sentiment learned from a project's gold, on the project's own sentiment scale.

``SentimentModel`` is pure ML (TF-IDF words and word pairs, class-balanced logistic
regression); ``SentimentKind`` adapts it to the training framework and measures it beside
VADER (the shipped predictor) on the same held-out items. scikit-learn loads on use only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...models import GoldSplit, Project
from ..pickled import PickledModel
from ..predictors.base import PredictionContext, Suggestions
from ..predictors.mapping import sentiment_label
from ..predictors.sentiment import VaderSentimentPredictor
from .base import Example, accepted_gold
from .metrics import label_scores

# Fewer examples of a label than this teach the model nothing about it.
MIN_EXAMPLES_PER_LABEL = 2


@dataclass
class SentimentModel(PickledModel):
    """A fitted vectorizer and classifier, the labels it knows (ordered as the scale) and how it was trained."""

    vectorizer: Any
    classifier: Any
    scale: list[str]
    metadata: dict = field(default_factory=dict)

    @classmethod
    def train(cls, texts: list[str], labels: list[str], *, scale: list[str], seed: int = 0) -> SentimentModel:
        """Fit on every text given. Raises ValueError with fewer than two labels of
        MIN_EXAMPLES_PER_LABEL examples each. Pure and deterministic for a seed."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        counts = {label: labels.count(label) for label in set(labels)}
        if len(texts) != len(labels) or sum(count >= MIN_EXAMPLES_PER_LABEL for count in counts.values()) < 2:
            raise ValueError(f"need two sentiment labels with at least {MIN_EXAMPLES_PER_LABEL} gold items each; "
                             f"have {counts}")
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", min_df=1)
        classifier = LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0, random_state=seed)
        classifier.fit(vectorizer.fit_transform(texts), labels)
        return cls(vectorizer=vectorizer, classifier=classifier, scale=list(scale),
                   metadata={"examples": len(texts), "labels": counts, "seed": seed})

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """(label, probability) of the most probable label for each text."""
        return [(label, probability) for label, probability, _ in self.predict_with_uncertainty(texts)]

    def predict_with_uncertainty(self, texts: list[str]) -> list[tuple[str, float, float]]:
        """(label, probability, uncertainty) for each text: the most probable label, and how unsure
        the model is between its two likeliest labels (``margin_uncertainty``)."""
        if not texts:
            return []
        rows = self.classifier.predict_proba(self.vectorizer.transform(texts))
        classes = list(self.classifier.classes_)
        return [(classes[int(row.argmax())], round(float(row.max()), 4), round(margin_uncertainty(row), 4))
                for row in rows]


def margin_uncertainty(probabilities) -> float:
    """1 - (the likeliest label's probability - the runner-up's): 0 when the model is sure, 1 when
    two labels are equally likely. Margin rather than entropy: what an annotator settles is which
    of the two likeliest labels it is, and the margin ranks texts by exactly that."""
    ordered = sorted((float(p) for p in probabilities), reverse=True)
    return 1.0 - (ordered[0] - (ordered[1] if len(ordered) > 1 else 0.0))


def scale_polarity(label: str, scale: list[str]) -> float:
    """The polarity in [-1, 1] that ``mapping.sentiment_label`` maps back onto ``label``: the
    middle of its band (0 for a middle label)."""
    size, index = len(scale), scale.index(label)
    side = size // 2
    if size % 2 and index == side:
        return 0.0
    distance = side - index if index < side else index - (size - side) + 1  # 1 = nearest the middle
    polarity = (distance - 0.5) / side
    return -polarity if index < side else polarity


class TrainedSentimentPredictor:
    """Serves a SentimentModel: the label as a polarity its scale maps back, its probability as the score."""

    name = "project-sentiment"

    def __init__(self, model: SentimentModel, version: str):
        self.model, self.version = model, version

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [Suggestions(sentiment=scale_polarity(label, self.model.scale), sentiment_score=probability,
                            details={"label": label}, uncertainty=uncertainty)
                for label, probability, uncertainty in self.model.predict_with_uncertainty(texts)]


class SentimentKind:
    """Document sentiment: gold items with a sentiment on the project's scale."""

    name = "sentiment"
    predictor_kind = "project-sentiment"
    score_key = "macro_f1"

    def examples(self, *, project: Project, side: GoldSplit) -> list[Example]:
        scale = set(project.sentiment_scale or ())
        return [Example(gold.item_id, gold.item.article.body, gold.sentiment)
                for gold in accepted_gold(project=project, side=side).exclude(sentiment="")
                if gold.sentiment in scale]

    def train(self, examples: list[Example], *, project: Project, settings: dict) -> SentimentModel:
        return SentimentModel.train([example.text for example in examples], [example.label for example in examples],
                                    scale=list(project.sentiment_scale), seed=settings.get("seed", 0))

    def calibrate(self, model: SentimentModel, held_out: list[Example]) -> SentimentModel:
        return model

    def evaluate(self, model: SentimentModel, held_out: list[Example], *, project: Project) -> dict:
        """The model's figures and VADER's (mapped onto the scale as pre-annotation maps it) on the same items."""
        texts, gold = [example.text for example in held_out], [example.label for example in held_out]
        predicted = [label for label, _ in model.predict(texts)]
        scale = tuple(project.sentiment_scale)
        vader = [sentiment_label(suggestion.sentiment, scale) or ""
                 for suggestion in VaderSentimentPredictor().predict(texts, PredictionContext())]
        return {**label_scores(gold, predicted, scale),
                "baseline": {"predictor": VaderSentimentPredictor.name,
                             **label_scores(gold, vader, scale)}}

    def to_bytes(self, model: SentimentModel) -> bytes:
        return model.to_bytes()

    def from_bytes(self, data: bytes) -> SentimentModel:
        return SentimentModel.from_bytes(data)

    def predictor(self, model: SentimentModel, *, version: str) -> TrainedSentimentPredictor:
        return TrainedSentimentPredictor(model, version)
