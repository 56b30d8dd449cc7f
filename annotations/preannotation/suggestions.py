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
