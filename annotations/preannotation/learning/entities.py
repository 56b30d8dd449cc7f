"""Entities and entity sentiment under the training framework: adapters of the pure learners
``ner.NerModel`` and ``entity_sentiment.EntitySentimentModel`` to a project's gold.

An entity version is measured by exact-span P/R/F1 on held-out gold (headline: pooled F1) and
its span scores are each label's held-out precision; an entity-sentiment version by accuracy and
macro-F1 over the gold spans that carry a sentiment, beside sentence VADER on the same mentions.
spaCy and scikit-learn load on use only.
"""

from __future__ import annotations

from ...models import GoldSplit, Project
from ..predictors.base import PredictionContext, Suggestions, SpanSuggestion
from .base import Example, accepted_gold
from .metrics import label_scores, span_scores


class NerKind:
    """Entities: every accepted gold item, its spans in the project's own entity types (an item
    without spans teaches what is not an entity)."""

    name = "ner"
    predictor_kind = "project-ner"
    score_key = "f1"
    must_beat_baseline = True  # a version worse than the shipped model never goes live

    def examples(self, *, project: Project, side: GoldSplit) -> list[Example]:
        """None while the side has no span at all: a project that does not label entities trains none."""
        types = set(project.entity_types.values_list("name", flat=True))
        golds = accepted_gold(project=project, side=side).prefetch_related("spans")
        examples = [Example(gold.item_id, gold.item.article.body,
                            tuple((span.start, span.end, span.label) for span in gold.spans.all()
                                  if span.label in types)) for gold in golds]
        return examples if any(example.label for example in examples) else []

    def train(self, examples: list[Example], *, project: Project, settings: dict):
        from .ner import NerModel

        labels = list(project.entity_types.values_list("name", flat=True))
        options = {key: value for key, value in settings.items() if key not in ("seed", "train_limit")}
        return NerModel.train([(example.text, list(example.label)) for example in examples], labels,
                              seed=settings.get("seed", 0), settings=options)

    def calibrate(self, model, held_out: list[Example]):
        model.calibrate(model.evaluate(_ner_examples(held_out)))  # span scores: held-out precision per label
        return model

    def evaluate(self, model, held_out: list[Example], *, project: Project) -> dict:
        """Exact-span figures of the model and of the shipped spaCy model (mapped onto the project's
        types as its ``spacy-ner`` predictor maps them) on the same items; promotion needs both beaten."""
        measured = model.evaluate(_ner_examples(held_out))
        shipped = shipped_ner_figures(held_out, project=project)
        return {**measured, "f1": measured["micro"]["f1"],
                "baseline": {"predictor": "spacy-ner", **shipped, "f1": shipped["micro"]["f1"]}}

    def to_bytes(self, model) -> bytes:
        return model.to_bytes()

    def from_bytes(self, data: bytes):
        from .ner import NerModel

        return NerModel.from_bytes(data)

    def predictor(self, model, *, version: str) -> TrainedEntityPredictor:
        return TrainedEntityPredictor(model, version)


def shipped_ner_figures(examples: list[Example], *, project: Project) -> dict:
    """The shipped model's exact-span figures on ``examples``, its labels mapped by the project's
    ``spacy-ner`` label map (or by name)."""
    from ..predictors.mapping import ProjectSchema, suggestions_to_labels
    from ..predictors.spacy_ner import SpacyEntityPredictor

    config = project.predictors.filter(kind="spacy-ner").first()
    label_map = config.label_map if config is not None else {}
    schema = ProjectSchema.of(project)
    suggestions = SpacyEntityPredictor().predict([example.text for example in examples], PredictionContext())
    predicted = [[(span["start"], span["end"], span["label"]) for span in suggestions_to_labels(
        suggestion, schema=schema, label_map=label_map, options={})[0]["spans"]] for suggestion in suggestions]
    return span_scores([list(example.label) for example in examples], predicted, list(schema.entity_types))


def _ner_examples(examples: list[Example]) -> list[tuple[str, list]]:
    return [(example.text, list(example.label)) for example in examples]


class TrainedEntityPredictor:
    """Serves a NerModel: spans in the project's entity types, scored by their label's held-out precision."""

    name = "project-ner"

    def __init__(self, model, version: str):
        self.model, self.version = model, version

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [Suggestions(spans=[SpanSuggestion(start, end, label, text[start:end], score)
                                   for start, end, label, score in spans])
                for text, spans in zip(texts, self.model.predict(texts))]


class EntitySentimentKind:
    """Sentiment toward an entity: each gold span with a sentiment on the project's scale is one example.
    Its suggestions need the entities first: a live version serves through the entity predictors
    (``entity_sentiment_serving``)."""

    name = "entity-sentiment"
    predictor_kind = "project-entity-sentiment"
    score_key = "macro_f1"

    def examples(self, *, project: Project, side: GoldSplit) -> list[Example]:
        scale = set(project.sentiment_scale or ())
        golds = accepted_gold(project=project, side=side).prefetch_related("spans")
        return [Example(gold.item_id, gold.item.article.body, ((span.start, span.end), span.sentiment))
                for gold in golds for span in gold.spans.all() if span.sentiment in scale]

    def train(self, examples: list[Example], *, project: Project, settings: dict):
        from .entity_sentiment import EntitySentimentModel

        options = {key: value for key, value in settings.items() if key not in ("seed", "train_limit")}
        return EntitySentimentModel.train(_targets(examples), list(project.sentiment_scale),
                                          seed=settings.get("seed", 0), settings=options)

    def calibrate(self, model, held_out: list[Example]):
        return model

    def evaluate(self, model, held_out: list[Example], *, project: Project) -> dict:
        """The model's figures and sentence VADER's (what ``spacy-ner`` suggests today) on the same mentions."""
        from .entity_sentiment import sentence_vader_labels

        targets = _targets(held_out)
        vader = sentence_vader_labels([(text, target) for text, target, _ in targets], list(project.sentiment_scale))
        return {**model.evaluate(targets), "baseline": {
            "predictor": "sentence-vader", **label_scores([label for _, _, label in targets], vader,
                                                          list(project.sentiment_scale))}}

    def to_bytes(self, model) -> bytes:
        return model.to_bytes()

    def from_bytes(self, data: bytes):
        from .entity_sentiment import EntitySentimentModel

        return EntitySentimentModel.from_bytes(data)

    def predictor(self, model, *, version: str):
        """Not a predictor of its own: it sets the entity sentiment of the entity predictors' suggestions."""
        from .entity_sentiment_serving import LiveEntitySentiment

        return LiveEntitySentiment(model, version)


def _targets(examples: list[Example]) -> list[tuple[str, tuple[int, int], str]]:
    return [(example.text, example.label[0], example.label[1]) for example in examples]
