"""Reads of an item's suggestions: the newest prediction of each predictor, and the
suggestions an annotator is offered from them.

Older versions of a predictor's prediction stay stored for comparison; the labeling page and
the submit (provenance, pending suggestions, outcomes) use only the newest.

Every offered suggestion has a ``key`` that names what it suggests, the same on the page and in
the API (``provenance`` makes them): ``span:<start>:<end>:<label>``,
``entity-sentiment:<start>:<end>:<label>`` (the sentiment toward a suggested span),
``sentiment`` (the document's) and ``topic:<id>``. An annotator rejects a suggestion by its key.
"""

from collections.abc import Iterable

from ..models import Item, Prediction, Topic
from ..provenance import SENTIMENT_KEY, entity_sentiment_key, span_key, topic_key


def latest_predictions(*, item_id: int) -> list[Prediction]:
    """The item's newest prediction of each predictor (older versions stay for comparison)."""
    return predictions_newest(Prediction.objects.filter(item_id=item_id))


def predictions_newest(predictions: Iterable[Prediction]) -> list[Prediction]:
    """Per predictor, only its newest prediction (latest ``created_at``), ordered by predictor."""
    newest: dict[str, Prediction] = {}
    for prediction in predictions:
        kept = newest.get(prediction.predictor)
        if kept is None or (prediction.created_at, prediction.pk or 0) > (kept.created_at, kept.pk or 0):
            newest[prediction.predictor] = prediction
    return sorted(newest.values(), key=lambda p: p.predictor)


def suggested_spans(labels: dict) -> set[tuple[int, int, str]]:
    """The (start, end, label) of every span a prediction's labels suggest."""
    return {(s["start"], s["end"], s["label"]) for s in labels.get("spans") or ()}


def suggested_topic_ids(labels: dict) -> set[int]:
    """The ids of the topics a prediction's labels suggest."""
    return {t["id"] for t in labels.get("topics") or ()}


def suggested_sentiment(labels: dict) -> str | None:
    """The document sentiment a prediction's labels suggest, or None."""
    sentiment = labels.get("sentiment")
    return sentiment["label"] if sentiment else None


def suggestions_from(predictions: list[Prediction], *, body: str, schema: dict, topics: list[Topic]) -> dict:
    """The predictions' suggestions that fit the project and the body: spans (deduplicated,
    best score kept), the sentiment toward each suggested span (from that span's predictor, when
    the project asks for entity sentiment), the best-scored document sentiment, and topics best
    first. Suggestions whose offsets do not match the body (a stale prediction) are dropped,
    never shown askew.

    Each suggestion has ``key``, ``kind``, ``predictor`` and ``version``; nothing in it is a
    label yet: the annotator accepts, changes or rejects each one.
    """
    labels = {entity_type["name"] for entity_type in schema["entity_types"]}
    scale = set(schema["sentiment_scale"])
    entity_scale = scale if schema["entity_sentiment"] else set()
    names = {topic.pk: topic.name for topic in topics}
    spans: dict[str, dict] = {}
    sentiment, topic_scores = None, {}
    for prediction in predictions:
        suggested, origin = prediction.labels or {}, {"predictor": prediction.predictor,
                                                        "version": prediction.version}
        for span in _fitting_spans(suggested, body, labels, entity_scale):
            key = span_key(span["start"], span["end"], span["label"])
            if key not in spans or span["score"] > spans[key]["score"]:
                spans[key] = {"key": key, "kind": "span", **span, **origin}
        document = suggested.get("sentiment")
        if document and document.get("label") in scale and _score(document) > _score(sentiment):
            sentiment = {**document, "key": SENTIMENT_KEY, "kind": "sentiment", "value": document["label"], **origin}
        for topic in suggested.get("topics") or []:
            if topic.get("id") in names and _score(topic) > _score(topic_scores.get(topic["id"])):
                topic_scores[topic["id"]] = {"key": topic_key(topic["id"]), "kind": "topic", "id": topic["id"],
                                             "name": names[topic["id"]], "score": _score(topic), **origin}
    ordered = sorted(spans.values(), key=lambda s: (s["start"], s["end"], s["label"]))
    return {"spans": [_without_sentiment(span) for span in ordered],
            "entity_sentiments": [_entity_sentiment(span) for span in ordered if span["sentiment"]],
            "sentiment": sentiment, "topics": sorted(topic_scores.values(), key=lambda t: -t["score"]),
            "predictors": [{"predictor": p.predictor, "version": p.version} for p in predictions]}


def item_suggestions(*, item: Item, predictions: list[Prediction]) -> dict:
    """``suggestions_from`` the item's ``predictions`` (its newest ones) under its project's
    schema, as the labeling page offers them. Two queries (entity types, topics), none when
    there are no predictions."""
    if not predictions:
        return suggestions_from([], body="", schema={"entity_types": [], "sentiment_scale": [],
                                                     "entity_sentiment": False}, topics=[])
    project = item.project
    schema = {"entity_types": list(project.entity_types.values("name")),
              "sentiment_scale": list(project.sentiment_scale), "entity_sentiment": project.entity_sentiment}
    return suggestions_from(predictions, body=item.article.body, schema=schema,
                            topics=list(project.topics.only("pk", "name")))


def _without_sentiment(span: dict) -> dict:
    """A span suggestion suggests the span only: the sentiment toward it is a suggestion of its own."""
    return {name: value for name, value in span.items() if name != "sentiment"}


def _entity_sentiment(span: dict) -> dict:
    return {"key": entity_sentiment_key(span["start"], span["end"], span["label"]), "kind": "entity_sentiment",
            "span": span["key"], "start": span["start"], "end": span["end"], "label": span["label"],
            "text": span["text"], "entity": span["entity"], "value": span["sentiment"],
            "predictor": span["predictor"], "version": span["version"]}


def _fitting_spans(suggested: dict, body: str, labels: set[str], entity_scale: set[str]) -> list[dict]:
    """Suggested spans with a known label and offsets that match the body, each with the name
    of the entity it mentions and the suggested sentiment toward it (when the project asks)."""
    entities = suggested.get("entities") or []
    fitting = []
    for span in suggested.get("spans") or []:
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if label not in labels or not isinstance(start, int) or not isinstance(end, int):
            continue
        if not 0 <= start < end <= len(body) or body[start:end] != span.get("text"):
            continue
        index = span.get("entity")
        entity = entities[index] if isinstance(index, int) and 0 <= index < len(entities) else {}
        fitting.append({"start": start, "end": end, "label": label, "text": span["text"], "score": _score(span),
                        "entity": entity.get("name", ""),
                        "sentiment": entity.get("sentiment") if entity.get("sentiment") in entity_scale else ""})
    return fitting


def _score(suggestion: dict | None) -> float:
    """A suggestion's score for comparisons: -1 for none, 0 when the predictor gave no score."""
    if not suggestion:
        return -1.0
    score = suggestion.get("score")
    return float(score) if isinstance(score, (int, float)) else 0.0
