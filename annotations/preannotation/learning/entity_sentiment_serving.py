"""Serving a project's live ``entity-sentiment`` version (predictor kind ``project-entity-sentiment``).

Why it rides on the entity predictors instead of being a predictor of its own: the sentiment
toward an entity is a property of the entities a prediction suggests. The stored prediction
keeps it on its entities (``mapping``), and the labeling page offers the sentiment of each
suggested span from that span's own prediction (``suggestions``). A separate prediction would
have to repeat the other predictors' spans, and the page would then offer two sentiments
toward one span. So, while the project has a live entity-sentiment version, the entity
predictors of settings.NEWSROOM_ENTITY_SENTIMENT_PREDICTORS (``spacy-ner``, ``project-ner``)
keep their spans and entities and have the version's sentiment toward each entity instead of
the sentence VADER score. Their version says so, e.g. ``en_core_web_sm-3.8.0+1+entity-sentiment-v2``:
such a prediction is a new version, stored beside the older ones and picked up by the sweep,
and promoting or rolling back the version changes the suggestions the same way. Without a live
version nothing changes.

An entity's label: each mention is classified from its own context (``EntitySentimentModel``);
the mentions' probabilities are summed per label and the best label wins, its score the mean
probability over the mentions. Spans a predictor left without an entity (``project-ner`` gives
spans only) are grouped into entities first, as ``spacy-ner`` groups its own (``group_mentions``).
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings

from ..predictors.base import EntitySuggestion, PredictionContext, Predictor, Suggestions
from ..predictors.entities import group_mentions

PREDICTOR_KIND = "project-entity-sentiment"
LEARNING_KIND = "entity-sentiment"
MODEL_VERSION_PREFIX = "model-"  # versions are "model-vN" (model_versions.predictor_version)


class LiveEntitySentiment:
    """An entity-sentiment version ready to serve: it sets the sentiment of the entities in
    other predictors' suggestions (``served`` wraps such a predictor)."""

    name = PREDICTOR_KIND

    def __init__(self, model, version: str):
        self.model, self.version = model, version

    @property
    def version_suffix(self) -> str:
        """Appended to the version of a predictor it serves: ``+entity-sentiment-vN``."""
        return f"+{LEARNING_KIND}-{self.version.removeprefix(MODEL_VERSION_PREFIX)}"

    def served(self, predictor: Predictor) -> EntitySentimentServed:
        return EntitySentimentServed(predictor, self)

    def annotate(self, text: str, suggestions: Suggestions) -> Suggestions:
        """``suggestions`` with every entity's sentiment from the model (changed in place)."""
        _group_loose_spans(suggestions)
        mentions = [(entity, index) for entity in suggestions.entities for index in entity.mentions]
        predicted = self.model.predict([(text, (suggestions.spans[index].start, suggestions.spans[index].end))
                                        for _, index in mentions])
        by_entity: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for (entity, _), (label, probability) in zip(mentions, predicted):
            by_entity[id(entity)][label] += probability
        for entity in suggestions.entities:
            totals = by_entity.get(id(entity))
            if not totals:
                continue
            label = max(totals, key=totals.get)
            entity.sentiment, entity.sentiment_label = None, label
            entity.sentiment_score = round(totals[label] / len(entity.mentions), 4)
        return suggestions


class EntitySentimentServed:
    """An entity predictor whose entity sentiment comes from a live entity-sentiment version."""

    def __init__(self, predictor: Predictor, live: LiveEntitySentiment):
        self.predictor, self.live = predictor, live
        self.name = predictor.name
        self.version = predictor.version + live.version_suffix

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [self.live.annotate(text, suggestions)
                for text, suggestions in zip(texts, self.predictor.predict(texts, context), strict=True)]


def with_live_entity_sentiment(predictor: Predictor, *, kind: str, project_id: int) -> Predictor:
    """``predictor`` (of predictor kind ``kind``) served with the project's live entity-sentiment
    version when it is an entity predictor and there is one; else ``predictor`` itself."""
    if kind not in settings.NEWSROOM_ENTITY_SENTIMENT_PREDICTORS:
        return predictor
    from .serving import live_version, live_version_predictor

    live = live_version(project_id=project_id, kind=LEARNING_KIND)
    return predictor if live is None else live_version_predictor(live.pk).served(predictor)


def _group_loose_spans(suggestions: Suggestions) -> None:
    """Spans without an entity grouped into new entities (appended), as ``spacy-ner`` groups its own."""
    loose = [index for index, span in enumerate(suggestions.spans) if span.entity is None]
    groups = group_mentions([(suggestions.spans[index].text, suggestions.spans[index].label) for index in loose])
    for group in groups:
        members = [loose[member] for member in group.members]
        for index in members:
            suggestions.spans[index].entity = len(suggestions.entities)
        suggestions.entities.append(EntitySuggestion(name=group.name, label=group.label, mentions=members))
