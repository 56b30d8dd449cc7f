"""What agreement is computed from (`LabelSet`) and what it produces (`AgreementReport`)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from annotations.agreement.spans import Span

GOLD = "gold"  # the `annotator` of a gold LabelSet


@dataclass(frozen=True, slots=True)
class LabelSet:
    """One annotator's labels for one item, or the item's gold (annotator GOLD)."""

    item: int
    annotator: int | str
    sentiment: str | None  # a value of the project's sentiment scale, or None when not given
    topics: frozenset[int]
    spans: frozenset[Span]
    # (span, sentiment toward its entity) for the spans given one.
    entity_sentiments: frozenset[tuple[Span, str]] = frozenset()
    # Provenance: the spans, and the document labels ("sentiment", "topic:<id>"), that are a
    # predictor's suggestion accepted unchanged.
    accepted_spans: frozenset[Span] = frozenset()
    accepted_document_labels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """A project's agreement; every coefficient is None where it is undefined.

    sentiment_alpha  Krippendorff's alpha of sentiment, ordinal on the project's scale.
    entity_sentiment_alpha
                     Krippendorff's alpha of the sentiment toward each entity, ordinal on
                     the project's scale, over the spans at least two annotators of an item
                     marked exactly (one unit per item and span).
    topic_alpha      {topic id: nominal alpha of present/absent}.
    span_f1          {entity label or ALL_LABELS: {"exact": f1, "overlap": f1}}, mean over
                     annotator pairs of the F1 pooled over the items the pair shares.
    pairwise_kappa   [{"a", "b", "items", "kappa"}] on sentiment, pairs with >= 2 items.
    per_annotator    {annotator: {"items", "sentiment_kappa_mean", "span_f1_exact",
                     "span_f1_overlap", "accepted_suggestions": {"spans", "document_labels"},
                     "gold": {...} or None}}; accepted_suggestions are the shares of the
                     annotator's spans and document labels (sentiment, topics) that are a
                     suggestion accepted unchanged (None without any): agreement between
                     annotators who both accept the same machine guess is the machine's.
    items            number of items labelled by at least two annotators.
    """

    sentiment_alpha: float | None
    entity_sentiment_alpha: float | None
    topic_alpha: dict[int, float | None]
    span_f1: dict[str, dict[str, float | None]]
    pairwise_kappa: list[dict]
    per_annotator: dict[int | str, dict]
    items: int

    def as_dict(self) -> dict:
        """Plain JSON data for the API: a deep copy, with topic and annotator keys as strings."""
        return {
            "sentiment_alpha": self.sentiment_alpha,
            "entity_sentiment_alpha": self.entity_sentiment_alpha,
            # JSON object keys are strings; converting here keeps as_dict() equal to its JSON round trip.
            "topic_alpha": {str(topic): alpha for topic, alpha in self.topic_alpha.items()},
            "span_f1": copy.deepcopy(self.span_f1),
            "pairwise_kappa": copy.deepcopy(self.pairwise_kappa),
            "per_annotator": {str(a): copy.deepcopy(summary) for a, summary in self.per_annotator.items()},
            "items": self.items,
        }
