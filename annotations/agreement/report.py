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


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """A project's agreement; every coefficient is None where it is undefined.

    sentiment_alpha  Krippendorff's alpha of sentiment, ordinal on the project's scale.
    topic_alpha      {topic id: nominal alpha of present/absent}.
    span_f1          {entity label or ALL_LABELS: {"exact": f1, "overlap": f1}}, mean over
                     annotator pairs of the F1 pooled over the items the pair shares.
    pairwise_kappa   [{"a", "b", "items", "kappa"}] on sentiment, pairs with >= 2 items.
    per_annotator    {annotator: {"items", "sentiment_kappa_mean", "span_f1_exact",
                     "span_f1_overlap", "gold": {...} or None}}.
    items            number of items labelled by at least two annotators.
    """

    sentiment_alpha: float | None
    topic_alpha: dict[int, float | None]
    span_f1: dict[str, dict[str, float | None]]
    pairwise_kappa: list[dict]
    per_annotator: dict[int | str, dict]
    items: int

    def as_dict(self) -> dict:
        """Plain JSON data for the API: a deep copy, with topic and annotator keys as strings."""
        return {
            "sentiment_alpha": self.sentiment_alpha,
            # JSON object keys are strings; converting here keeps as_dict() equal to its JSON round trip.
            "topic_alpha": {str(topic): alpha for topic, alpha in self.topic_alpha.items()},
            "span_f1": copy.deepcopy(self.span_f1),
            "pairwise_kappa": copy.deepcopy(self.pairwise_kappa),
            "per_annotator": {str(a): copy.deepcopy(summary) for a, summary in self.per_annotator.items()},
            "items": self.items,
        }
