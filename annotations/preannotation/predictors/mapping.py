"""Map a predictor's suggestions onto one project's schema: entity types, topic ids, sentiment scale.

The stored form (``Prediction.labels``) is what the labeling page and the API show:

    {"spans": [{"start", "end", "label", "text", "score", "entity"}],
     "entities": [{"name", "label", "mentions", "sentiment", "polarity"[, "sentiment_score"]}],
     "sentiment": {"label", "polarity", "score"} | None,
     "topics": [{"id", "name", "score"}]}          # suggested topics, best first

Spans whose label has no entity type in the project are dropped (counted in ``scores``). An
entity's ``sentiment`` is its polarity placed on the scale, or the scale value a trained model
gave directly (then ``polarity`` is None and ``sentiment_score`` is the model's probability).
"""

from dataclasses import dataclass
from functools import cached_property

from ..calibration import topics_suggested
from .base import Suggestions

# Predictor labels that usually mean a project's differently named type; used only when the
# project has no type of the predictor's own name and the manager's label map says nothing.
LABEL_ALIASES = {
    "PER": ("PERSON",), "PERSON": ("PER",),
    "ORG": ("ORGANIZATION", "ORGANISATION"), "ORGANIZATION": ("ORG",),
    "GPE": ("LOC", "LOCATION", "PLACE"), "LOC": ("LOCATION", "PLACE", "GPE"),
    "NORP": ("GROUP",), "FAC": ("FACILITY", "LOCATION"), "EVENT": ("EVENT",),
}
# Polarity closer to zero than this reads as neutral (VADER's own convention for compound scores).
NEUTRAL_BAND = 0.05
DEFAULT_MIN_TOPIC_SCORE = 0.2
DEFAULT_MAX_TOPICS = 3


@dataclass(frozen=True)
class ProjectSchema:
    entity_types: tuple[str, ...]
    topic_ids: dict[str, int]          # lower-cased topic name -> id
    topic_names: dict[int, str]
    sentiment_scale: tuple[str, ...]

    @cached_property  # looked up for every suggested span: built once per schema
    def entity_types_by_folded_name(self) -> dict[str, str]:
        return {name.casefold(): name for name in self.entity_types}

    @classmethod
    def of(cls, project) -> "ProjectSchema":
        topics = list(project.topics.values_list("id", "name"))
        return cls(entity_types=tuple(project.entity_types.values_list("name", flat=True)),
                   topic_ids={name.casefold(): pk for pk, name in topics},
                   topic_names=dict(topics),
                   sentiment_scale=tuple(project.sentiment_scale or ()))


def entity_type_for(label: str, *, schema: ProjectSchema, label_map: dict[str, str]) -> str | None:
    """The project's entity type for a predictor label, or None if the project has no such type."""
    if label in label_map:
        mapped = label_map[label]
        return mapped if mapped in schema.entity_types else None
    by_name = schema.entity_types_by_folded_name
    for candidate in (label, *LABEL_ALIASES.get(label.upper(), ())):
        if candidate.casefold() in by_name:
            return by_name[candidate.casefold()]
    return None


def sentiment_label(polarity: float | None, scale: tuple[str, ...]) -> str | None:
    """A polarity in [-1, 1] as a label of the scale (ordered negative to positive)."""
    if polarity is None or not scale:
        return None
    size = len(scale)
    if size % 2 and abs(polarity) < NEUTRAL_BAND:
        return scale[size // 2]
    side = size // 2  # labels on each side of the middle
    if not side:
        return scale[0]
    step = min(int(abs(polarity) * side), side - 1)  # 0 = nearest the middle
    return scale[side - 1 - step] if polarity < 0 else scale[size - side + step]


def suggestions_to_labels(suggestions: Suggestions, *, schema: ProjectSchema, label_map: dict[str, str],
                          options: dict) -> tuple[dict, dict]:
    """(labels, scores) to store for one item; see the module docstring for the shape."""
    spans, entity_index, dropped = _mapped_spans(suggestions, schema=schema, label_map=label_map)
    entities = _mapped_entities(suggestions, entity_index=entity_index, spans=spans, schema=schema)
    for span in spans:
        span["entity"] = entity_index.get(span.pop("_entity"))
    all_topics = _topic_scores(suggestions, schema=schema)
    labels = {
        "spans": spans,
        "entities": entities,
        "sentiment": _document_sentiment(suggestions, schema=schema),
        "topics": _suggested_topics(all_topics, schema=schema, options=options),
    }
    scores = {"topics": {str(pk): round(score, 4) for pk, score in all_topics.items()},
              "dropped_spans": dropped, **({"details": suggestions.details} if suggestions.details else {})}
    return labels, scores


def _mapped_spans(suggestions, *, schema, label_map):
    spans, kept_entities, dropped = [], [], 0
    for span in suggestions.spans:
        label = entity_type_for(span.label, schema=schema, label_map=label_map)
        if label is None:
            dropped += 1
            continue
        spans.append({"start": span.start, "end": span.end, "label": label, "text": span.text,
                      "score": round(span.score, 4), "_entity": span.entity})
        if span.entity is not None and span.entity not in kept_entities:
            kept_entities.append(span.entity)
    # Old entity index -> new index, over the entities that still have a mapped mention.
    entity_index = {old: new for new, old in enumerate(kept_entities)}
    return spans, entity_index, dropped


def _mapped_entities(suggestions, *, entity_index, spans, schema):
    entities = [None] * len(entity_index)
    for old, new in entity_index.items():
        entity = suggestions.entities[old]
        mentions = [i for i, span in enumerate(spans) if span["_entity"] == old]
        entities[new] = {"name": entity.name, "label": spans[mentions[0]]["label"], "mentions": mentions,
                         **_entity_sentiment(entity, schema=schema)}
    return entities


def _entity_sentiment(entity, *, schema) -> dict:
    if entity.sentiment_label is not None and entity.sentiment_label in schema.sentiment_scale:
        return {"sentiment": entity.sentiment_label, "polarity": None,
                "sentiment_score": None if entity.sentiment_score is None else round(entity.sentiment_score, 4)}
    return {"sentiment": sentiment_label(entity.sentiment, schema.sentiment_scale),
            "polarity": None if entity.sentiment is None else round(entity.sentiment, 4)}


def _document_sentiment(suggestions, *, schema):
    label = sentiment_label(suggestions.sentiment, schema.sentiment_scale)
    if label is None:
        return None
    return {"label": label, "polarity": round(suggestions.sentiment, 4),
            "score": None if suggestions.sentiment_score is None else round(suggestions.sentiment_score, 4)}


def _topic_scores(suggestions, *, schema) -> dict[int, float]:
    return {schema.topic_ids[name.casefold()]: score for name, score in suggestions.topics.items()
            if name.casefold() in schema.topic_ids}


def _suggested_topics(all_topics, *, schema, options):
    """With ``topic_thresholds`` (topic id -> calibrated threshold) the calibrated rule decides,
    else the best ``max_topics`` topics from ``min_topic_score``."""
    if options.get("topic_thresholds") is not None:
        thresholds = {int(pk): value for pk, value in options["topic_thresholds"].items()}
        return [{"id": pk, "name": schema.topic_names[pk], "score": round(all_topics[pk], 4)}
                for pk in topics_suggested(all_topics, thresholds)]
    threshold = float(options.get("min_topic_score", DEFAULT_MIN_TOPIC_SCORE))
    limit = int(options.get("max_topics", DEFAULT_MAX_TOPICS))
    best = sorted(((score, pk) for pk, score in all_topics.items() if score >= threshold), reverse=True)[:limit]
    return [{"id": pk, "name": schema.topic_names[pk], "score": round(score, 4)} for score, pk in best]
