"""How good the suggestions are: each predictor version's precision and recall against gold,
beside what annotators kept of its suggestions (``outcomes``)."""

from collections import defaultdict

from ..agreement.spans import span_matches
from ..models import Gold, Prediction, Project
from .outcomes import NO_OUTCOMES, suggestion_acceptance
from .suggestions import suggested_sentiment, suggested_spans, suggested_topic_ids


def predictor_quality_report(*, project: Project) -> list[dict]:
    """Per predictor and version: precision/recall of its suggestions against accepted gold,
    and how much of what it suggested annotators kept. Values are None where there is no data."""
    gold = _gold_labels(project)
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    predictions = (Prediction.objects.filter(item__project=project, item_id__in=list(gold))
                   .values_list("predictor", "version", "item_id", "labels"))
    for predictor, version, item_id, labels in predictions.iterator(chunk_size=500):
        tallies[(predictor, version)].add(labels, gold[item_id])
    acceptance = suggestion_acceptance(project=project)
    keys = sorted(set(tallies) | set(acceptance))
    return [{"predictor": predictor, "version": version, **tallies[(predictor, version)].summary(),
             **acceptance.get((predictor, version), NO_OUTCOMES)} for predictor, version in keys]


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
        predicted = suggested_spans(labels)
        _count(self.spans, span_matches(predicted, gold_spans, mode="exact"), predicted, gold_spans)
        topics = suggested_topic_ids(labels)
        _count(self.topics, len(topics & gold_topics), topics, gold_topics)
        sentiment = suggested_sentiment(labels)
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


def _gold_labels(project: Project) -> dict[int, tuple[set, set, str]]:
    gold = {}
    accepted = Gold.objects.filter(item__project=project, status=Gold.Status.ACCEPTED).prefetch_related("spans")
    for record in accepted.iterator(chunk_size=500):
        gold[record.item_id] = ({(s.start, s.end, s.label) for s in record.spans.all()}, set(record.topics),
                                record.sentiment)
    return gold


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
