"""What annotators did with the suggestions: recorded at each submit, per newest prediction of
the item, and summed per predictor version.

Outcomes are recorded by comparing the submitted labels with the item's newest prediction of
each predictor, so accepting and rejecting need no separate protocol: a suggested span that is
in the submit was accepted, one that is not was rejected, the same whether the labels came from
the labeling page or the API.
"""

from collections.abc import Iterable

from django.db.models import Sum

from ..models import Annotation, Project, SuggestionOutcome
from .suggestions import latest_predictions, suggested_sentiment, suggested_spans, suggested_topic_ids


def suggestion_outcomes_record(*, annotation: Annotation, spans: Iterable | None = None) -> list[SuggestionOutcome]:
    """Record, per newest prediction of the item, which suggestions the submit kept.

    ``spans`` are the submitted spans if the caller has them at hand (saves a query).
    """
    spans = annotation.spans.all() if spans is None else spans
    submitted_spans = {(s.start, s.end, s.label) for s in spans}
    submitted_topics = set(annotation.topics)
    outcomes = []
    for prediction in latest_predictions(item_id=annotation.item_id):
        spans_offered = suggested_spans(prediction.labels)
        topics_offered = suggested_topic_ids(prediction.labels)
        sentiment = suggested_sentiment(prediction.labels)
        kept_spans = len(spans_offered & submitted_spans)
        kept_topics = len(topics_offered & submitted_topics)
        outcomes.append(SuggestionOutcome(
            prediction=prediction, annotation=annotation,
            spans_accepted=kept_spans, spans_rejected=len(spans_offered) - kept_spans,
            sentiment_outcome="" if sentiment is None else (
                "accepted" if sentiment == annotation.sentiment else "rejected"),
            topics_accepted=kept_topics, topics_rejected=len(topics_offered) - kept_topics))
    return SuggestionOutcome.objects.bulk_create(outcomes, ignore_conflicts=True)


NO_OUTCOMES = {"spans_accepted": 0, "spans_rejected": 0, "acceptance_rate": None}


def suggestion_acceptance(*, project: Project) -> dict[tuple[str, str], dict]:
    """Per (predictor, version): what annotators kept of its span and topic suggestions."""
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
            "acceptance_rate": kept / offered if offered else None}
    return result
