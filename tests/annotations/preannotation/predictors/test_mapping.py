"""Suggestions mapped onto a project's schema: entity types, topic ids, the sentiment scale."""

import pytest

from annotations.preannotation.predictors.base import EntitySuggestion, SpanSuggestion, Suggestions
from annotations.preannotation.predictors.mapping import ProjectSchema, entity_type_for, sentiment_label, suggestions_to_labels

SCHEMA = ProjectSchema(entity_types=("PERSON", "ORG", "LOCATION"), topic_ids={"politics": 1, "economy": 2},
                       topic_names={1: "Politics", 2: "Economy"}, sentiment_scale=("negative", "neutral", "positive"))


@pytest.mark.parametrize(("label", "label_map", "expected"), [
    ("PERSON", {}, "PERSON"),
    ("person", {}, "PERSON"),
    ("GPE", {}, "LOCATION"),            # alias: the project has no GPE
    ("ORGANIZATION", {}, "ORG"),
    ("NORP", {}, None),                 # no type for it
    ("GPE", {"GPE": "ORG"}, "ORG"),     # the manager's map wins over names and aliases
    ("PERSON", {"PERSON": "NOPE"}, None),  # a map onto a type the project lacks drops the span
])
def test_entity_type_for(label, label_map, expected):
    assert entity_type_for(label, schema=SCHEMA, label_map=label_map) == expected


@pytest.mark.parametrize(("polarity", "scale", "expected"), [
    (-0.6, ("negative", "neutral", "positive"), "negative"),
    (0.01, ("negative", "neutral", "positive"), "neutral"),
    (0.2, ("negative", "neutral", "positive"), "positive"),
    (-0.9, ("very negative", "negative", "neutral", "positive", "very positive"), "very negative"),
    (-0.3, ("very negative", "negative", "neutral", "positive", "very positive"), "negative"),
    (0.7, ("very negative", "negative", "neutral", "positive", "very positive"), "very positive"),
    (0.01, ("bad", "good"), "good"),
    (None, ("negative", "neutral", "positive"), None),
])
def test_sentiment_label(polarity, scale, expected):
    assert sentiment_label(polarity, scale) == expected


def test_spans_entities_sentiment_and_topics_are_mapped_and_reindexed():
    suggestions = Suggestions(
        spans=[SpanSuggestion(0, 4, "NORP", "Lorn", 0.9, entity=0),
               SpanSuggestion(10, 19, "PERSON", "Ana Reyes", 0.8, entity=1),
               SpanSuggestion(30, 35, "PERSON", "Reyes", 0.7, entity=1),
               SpanSuggestion(40, 48, "GPE", "Portvale", 0.9, entity=2)],
        entities=[EntitySuggestion("Lorn", "NORP", [0], 0.5), EntitySuggestion("Ana Reyes", "PERSON", [1, 2], -0.4),
                  EntitySuggestion("Portvale", "GPE", [3], None)],
        sentiment=0.3, sentiment_score=0.6, topics={"Economy": 0.5, "Politics": 0.1, "Sport": 0.9})
    labels, scores = suggestions_to_labels(suggestions, schema=SCHEMA, label_map={}, options={})
    assert [(s["label"], s["entity"]) for s in labels["spans"]] == [("PERSON", 0), ("PERSON", 0), ("LOCATION", 1)]
    assert labels["entities"][0] == {"name": "Ana Reyes", "label": "PERSON", "mentions": [0, 1],
                                     "sentiment": "negative", "polarity": -0.4}
    assert labels["entities"][1]["sentiment"] is None
    assert labels["sentiment"] == {"label": "positive", "polarity": 0.3, "score": 0.6}
    # Below the default threshold (0.2) Politics is scored but not suggested; Sport is not a topic here.
    assert labels["topics"] == [{"id": 2, "name": "Economy", "score": 0.5}]
    assert scores["topics"] == {"2": 0.5, "1": 0.1} and scores["dropped_spans"] == 1


def test_topic_threshold_and_limit_come_from_the_options():
    suggestions = Suggestions(topics={"Economy": 0.5, "Politics": 0.1})
    labels, _ = suggestions_to_labels(suggestions, schema=SCHEMA, label_map={},
                                      options={"min_topic_score": 0.05, "max_topics": 1})
    assert [t["name"] for t in labels["topics"]] == ["Economy"]
    labels, _ = suggestions_to_labels(suggestions, schema=SCHEMA, label_map={}, options={"min_topic_score": 0.05})
    assert [t["name"] for t in labels["topics"]] == ["Economy", "Politics"]


def test_no_sentiment_suggested_stays_none():
    labels, _ = suggestions_to_labels(Suggestions(), schema=SCHEMA, label_map={}, options={})
    assert labels == {"spans": [], "entities": [], "sentiment": None, "topics": []}
