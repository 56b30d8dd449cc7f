"""How good the suggestions are: each predictor version's precision and recall against gold it
never saw, beside what annotators kept of its suggestions (``outcomes``).

Which gold: every version, shipped or trained, is scored on the held-out side of the split only.
A trained version never trains on it, and the shipped predictors, which saw no gold at all, are
scored on the same side, so that a row of the report compares with every other row on one
population of items (a 1-in-N sample of the gold, decided by item id, not by anyone's choice)
rather than a shipped model on all gold against a trained one on a fifth of it.

A trained version's thresholds were calibrated on the held-out gold that existed when it was
trained, so its own suggestions on those items used their labels: those items count with the
decisions made for them at training, each by thresholds calibrated on the other items (recorded
with the version, see ``calibration``); held-out gold accepted since counts with the version's
stored suggestions. A version trained before any of this was recorded may have seen any gold and
is scored on none.

Every figure comes with the number of items it is on: ``span_items``, ``sentiment_items``,
``topic_items`` (0 where the figure is None), and ``items``, the held-out gold items the version
was scored on at all.
"""

from collections import defaultdict

from ..agreement.spans import span_matches
from ..models import Gold, GoldSplit, GoldSpan, Prediction, Project
from .outcomes import NO_OUTCOMES, suggestion_acceptance
from .suggestions import suggested_sentiment, suggested_spans, suggested_topic_ids
from .training import trained_versions


def predictor_quality_report(*, project: Project) -> list[dict]:
    """Per predictor and version: precision/recall of its suggestions against held-out gold it
    never saw, with the number of items behind each figure, and how much of what it suggested
    annotators kept. Values are None where there is no data."""
    gold = _held_out_gold(project)
    trained = trained_versions(project=project)
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for key, version in trained.items():
        tallies[key].add_measured(version.held_out)
    predictions = (Prediction.objects.filter(item__project=project, item_id__in=list(gold))
                   .values_list("predictor", "version", "item_id", "labels"))
    for predictor, version, item_id, labels in predictions.iterator(chunk_size=500):
        if (predictor, version) in trained and _seen(trained[(predictor, version)].seen, item_id):
            continue
        tallies[(predictor, version)].add(labels, gold[item_id])
    acceptance = suggestion_acceptance(project=project)
    keys = sorted(set(tallies) | set(acceptance))
    return [{"predictor": predictor, "version": version, **tallies[(predictor, version)].summary(),
             **acceptance.get((predictor, version), NO_OUTCOMES)} for predictor, version in keys]


def _seen(seen: frozenset[int] | None, item_id: int) -> bool:
    return seen is None or item_id in seen


class _Tally:
    """Micro-averaged counts over items. A predictor that never suggested a kind of label (a
    sentiment-only predictor has no spans) gets None for it, not a recall of zero."""

    def __init__(self):
        self.predicted_items = 0    # held-out gold items scored on the version's stored suggestions
        self.measured_items = 0     # calibration items, scored on the decisions counted at training
        self.spans = [0, 0, 0]      # matched, predicted, gold
        self.topics = [0, 0, 0]
        self.sentiment = [0, 0]     # right, predicted

    def add(self, labels: dict, gold: tuple[set, set, str]) -> None:
        gold_spans, gold_topics, gold_sentiment = gold
        self.predicted_items += 1
        predicted = suggested_spans(labels)
        _count(self.spans, span_matches(predicted, gold_spans, mode="exact"), predicted, gold_spans)
        topics = suggested_topic_ids(labels)
        _count(self.topics, len(topics & gold_topics), topics, gold_topics)
        sentiment = suggested_sentiment(labels)
        if sentiment is not None and gold_sentiment:
            self.sentiment[0] += sentiment == gold_sentiment
            self.sentiment[1] += 1

    def add_measured(self, held_out: dict) -> None:
        """A trained version's topic decisions on its calibration items, counted at training."""
        if held_out.get("items"):
            self.measured_items += held_out["items"]
            for index, key in enumerate(("matched", "suggested", "gold")):
                self.topics[index] += held_out[key]

    def summary(self) -> dict:
        spans = _prf(*self.spans) if self.spans[1] else (None, None, None)
        topics = _prf(*self.topics) if self.topics[1] else (None, None, None)
        return {"items": self.predicted_items + self.measured_items,
                "span_precision": spans[0], "span_recall": spans[1], "span_f1": spans[2],
                "span_items": self.predicted_items if self.spans[1] else 0,
                "sentiment_accuracy": _ratio(*self.sentiment), "sentiment_items": self.sentiment[1],
                "topic_precision": topics[0], "topic_recall": topics[1],
                "topic_items": self.predicted_items + self.measured_items if self.topics[1] else 0}


def _count(tally: list[int], matched: int, predicted: set, reference: set) -> None:
    tally[0] += matched
    tally[1] += len(predicted)
    tally[2] += len(reference)


def _prf(matched: int, predicted: int, reference: int) -> tuple[float, float | None, float | None]:
    precision, recall = matched / predicted, _ratio(matched, reference)
    f1 = 2 * matched / (predicted + reference)
    return precision, recall, f1


def _held_out_gold(project: Project) -> dict[int, tuple[set, set, str]]:
    """{item id: (spans, topic ids, sentiment)} of the accepted held-out gold: two queries of
    plain values (no model per gold and span: they were most of the dashboard's time)."""
    accepted = Gold.objects.filter(item__project=project, item__gold_split=GoldSplit.HELD_OUT,
                                   status=Gold.Status.ACCEPTED)
    # Read at once, not through a server-side cursor (``iterator()``): PostgreSQL plans a cursor
    # for its first rows, and walked a million items in id order to merge them with the gold
    # (220 ms) where a hash join of the held-out items takes 2 ms. An item has one accepted gold.
    rows = accepted.order_by().values_list("item_id", "topics", "sentiment")
    gold = {item_id: (set(), set(topics), sentiment) for item_id, topics, sentiment in rows}
    spans = GoldSpan.objects.filter(gold__in=accepted).values_list("gold__item_id", "start", "end", "label")
    for item_id, start, end, label in spans.iterator(chunk_size=5000):
        gold[item_id][0].add((start, end, label))
    return gold


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
