"""Reads of an item's suggestions: the newest prediction of each predictor.

Older versions of a predictor's prediction stay stored for comparison; the labeling page and
the suggestion outcomes recorded at submit use only the newest.
"""

from collections.abc import Iterable

from ..models import Prediction


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
