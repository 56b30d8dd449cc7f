"""What annotators did with the suggestions: recorded at each submit, per newest prediction of
the item, and summed per predictor version.

Outcomes are read from the provenance the submit derived (``annotations.provenance``): each
suggestion the annotator was offered was accepted as it is, changed (another span over it,
another sentiment), or rejected, the same whether the labels came from the labeling page or the
API. A suggestion another predictor made better (the same span with a higher score) was not
offered, so it has no outcome.
"""

from django.db.models import Count, Q, Sum

from ..models import Annotation, Prediction, Project, SuggestionOutcome
from ..provenance import offered_suggestions

# SuggestionOutcome's count fields by the kind of suggestion; the document sentiment has one
# outcome (sentiment_outcome) instead.
COUNTED_KINDS = {"span": "spans", "topic": "topics", "entity_sentiment": "entity_sentiments"}
FATES = ("accepted", "changed", "rejected")


def suggestion_outcomes_record(*, annotation: Annotation, predictions: list[Prediction], offered: dict,
                               fates: dict[str, str]) -> list[SuggestionOutcome]:
    """Record, per prediction in ``predictions`` (the item's newest), what became of the
    suggestions of it that were ``offered``; ``fates`` maps their keys to accepted, changed or
    rejected (``DerivedLabels.fates``). One row per prediction, empty counts included."""
    outcomes = {(p.predictor, p.version): SuggestionOutcome(prediction=p, annotation=annotation)
                for p in predictions}
    for suggestion in offered_suggestions(offered):
        outcome, fate = outcomes.get((suggestion["predictor"], suggestion["version"])), fates.get(suggestion["key"])
        if outcome is None or fate is None:
            continue
        if suggestion["kind"] == "sentiment":
            outcome.sentiment_outcome = fate
            continue
        field = f"{COUNTED_KINDS[suggestion['kind']]}_{fate}"
        if hasattr(outcome, field):  # topics are accepted or rejected, never changed
            setattr(outcome, field, getattr(outcome, field) + 1)
    return SuggestionOutcome.objects.bulk_create(outcomes.values(), ignore_conflicts=True)


COUNTS = ("spans_accepted", "spans_changed", "spans_rejected", "topics_accepted", "topics_rejected",
          "entity_sentiments_accepted", "entity_sentiments_changed", "entity_sentiments_rejected",
          "sentiment_accepted", "sentiment_changed", "sentiment_rejected")
NO_OUTCOMES = {"annotations": 0, **dict.fromkeys(COUNTS, 0), "acceptance_rate": None}


def suggestion_acceptance(*, project: Project) -> dict[tuple[str, str], dict]:
    """Per (predictor, version): what annotators did with its suggestions, by kind (spans,
    topics, entity sentiment, document sentiment: accepted, changed, rejected), over each
    annotator's current labels (a later version replaces what an earlier one decided); and
    ``acceptance_rate``, the share of its decided suggestions taken as they were (None when
    none was decided)."""
    current = Annotation.objects.filter(item__project=project).current()
    rows = (SuggestionOutcome.objects.filter(prediction__item__project=project, annotation__in=current)
            .values("prediction__predictor", "prediction__version")
            .annotate(annotations=Count("id"),
                      **{f"sum_{name}": Sum(name) for name in COUNTS if not name.startswith("sentiment_")},
                      **{f"sum_sentiment_{fate}": Count("id", filter=Q(sentiment_outcome=fate)) for fate in FATES}))
    result = {}
    for row in rows:
        counts = {name: row[f"sum_{name}"] or 0 for name in COUNTS}
        accepted = sum(counts[name] for name in COUNTS if name.endswith("_accepted"))
        decided = sum(counts.values())
        result[(row["prediction__predictor"], row["prediction__version"])] = {
            "annotations": row["annotations"], **counts, "acceptance_rate": accepted / decided if decided else None}
    return result
