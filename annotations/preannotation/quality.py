"""How good the suggestions are: what annotators kept of them, and precision/recall against gold.

Outcomes are recorded at each submit by comparing the submitted labels with the item's
newest prediction of each predictor, so accepting and rejecting need no separate protocol:
a suggested span that is in the submit was accepted, one that is not was rejected — the
same whether the labels came from the labeling page or the API.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from ..agreement.spans import span_matches
from ..models import Annotation, Gold, Prediction, Project, SuggestionOutcome
from .suggestions import latest_predictions


def suggestion_outcomes_record(*, annotation: Annotation, spans: Iterable | None = None) -> list[SuggestionOutcome]:
    """Record, per newest prediction of the item, which suggestions the submit kept.

    ``spans`` are the submitted spans if the caller has them at hand (saves a query).
    """
    spans = annotation.spans.all() if spans is None else spans
    submitted_spans = {(s.start, s.end, s.label) for s in spans}
    submitted_topics = set(annotation.topics)
    outcomes = []
    for prediction in latest_predictions(item_id=annotation.item_id):
        suggested_spans = _spans(prediction.labels)
        suggested_topics = _topic_ids(prediction.labels)
        sentiment = _sentiment(prediction.labels)
        kept_spans = len(suggested_spans & submitted_spans)
        kept_topics = len(suggested_topics & submitted_topics)
        outcomes.append(SuggestionOutcome(
            prediction=prediction, annotation=annotation,
            spans_accepted=kept_spans, spans_rejected=len(suggested_spans) - kept_spans,
            sentiment_accepted=None if sentiment is None else sentiment == annotation.sentiment,
            topics_accepted=kept_topics, topics_rejected=len(suggested_topics) - kept_topics))
    return SuggestionOutcome.objects.bulk_create(outcomes, ignore_conflicts=True)


def predictor_quality_report(*, project: Project) -> list[dict]:
    """Per predictor and version: precision/recall of its suggestions against accepted gold,
    and how much of what it suggested annotators kept. Values are None where there is no data."""
    gold = _gold_labels(project)
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    predictions = (Prediction.objects.filter(item__project=project, item_id__in=list(gold))
                   .values_list("predictor", "version", "item_id", "labels"))
    for predictor, version, item_id, labels in predictions.iterator(chunk_size=500):
        tallies[(predictor, version)].add(labels, gold[item_id])
    acceptance = _acceptance(project)
    keys = sorted(set(tallies) | set(acceptance))
    return [{"predictor": predictor, "version": version, **tallies[(predictor, version)].summary(),
             **acceptance.get((predictor, version), _NO_OUTCOMES)} for predictor, version in keys]


class _Tally:
    """Micro-averaged counts over items. A predictor that never suggested a kind of label (a
    sentiment-only predictor has no spans) gets None for it, not a recall of zero."""

    def __init__(self):
        self.items = 0
        self.spans = [0, 0, 0]      # matched, predicted, gold
        self.topics = [0, 0, 0]
        self.sentiment = [0, 0]     # right, predicted

    def add(self, labels: dict, gold: tuple[set, set, str]) -> None:
        gold_spans, gold_topics, gold_sentiment = gold
        self.items += 1
        predicted = _spans(labels)
        _count(self.spans, span_matches(predicted, gold_spans, mode="exact"), predicted, gold_spans)
        topics = _topic_ids(labels)
        _count(self.topics, len(topics & gold_topics), topics, gold_topics)
        sentiment = _sentiment(labels)
        if sentiment is not None and gold_sentiment:
            self.sentiment[0] += sentiment == gold_sentiment
            self.sentiment[1] += 1

    def summary(self) -> dict:
        spans = _prf(*self.spans) if self.spans[1] else (None, None, None)
        topics = _prf(*self.topics) if self.topics[1] else (None, None, None)
        return {"items": self.items, "span_precision": spans[0], "span_recall": spans[1], "span_f1": spans[2],
                "sentiment_accuracy": _ratio(*self.sentiment),
                "topic_precision": topics[0], "topic_recall": topics[1]}


def _count(tally: list[int], matched: int, predicted: set, reference: set) -> None:
    tally[0] += matched
    tally[1] += len(predicted)
    tally[2] += len(reference)


def _prf(matched: int, predicted: int, reference: int) -> tuple[float, float | None, float | None]:
    precision, recall = matched / predicted, _ratio(matched, reference)
    f1 = 2 * matched / (predicted + reference)
    return precision, recall, f1


_NO_OUTCOMES = {"spans_accepted": 0, "spans_rejected": 0, "acceptance_rate": None}


def _acceptance(project: Project) -> dict[tuple[str, str], dict]:
    rows = (SuggestionOutcome.objects.filter(prediction__item__project=project)
            .values("prediction__predictor", "prediction__version")
            .annotate(accepted=Sum("spans_accepted"), rejected=Sum("spans_rejected"),
                      topics_accepted=Sum("topics_accepted"), topics_rejected=Sum("topics_rejected")))
    result = {}
    for row in rows:
        kept = row["accepted"] + row["topics_accepted"]
        offered = kept + row["rejected"] + row["topics_rejected"]
        result[(row["prediction__predictor"], row["prediction__version"])] = {
            "spans_accepted": row["accepted"], "spans_rejected": row["rejected"],
            "acceptance_rate": _ratio(kept, offered)}
    return result


def _gold_labels(project: Project) -> dict[int, tuple[set, set, str]]:
    gold = {}
    accepted = Gold.objects.filter(item__project=project, status=Gold.Status.ACCEPTED).prefetch_related("spans")
    for record in accepted.iterator(chunk_size=500):
        gold[record.item_id] = ({(s.start, s.end, s.label) for s in record.spans.all()}, set(record.topics),
                                record.sentiment)
    return gold


def _spans(labels: dict) -> set[tuple[int, int, str]]:
    return {(s["start"], s["end"], s["label"]) for s in labels.get("spans") or ()}


def _topic_ids(labels: dict) -> set[int]:
    return {t["id"] for t in labels.get("topics") or ()}


def _sentiment(labels: dict) -> str | None:
    sentiment = labels.get("sentiment")
    return sentiment["label"] if sentiment else None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
