"""How much an item's annotators agree, as one number a reviewer can sort and filter by.

For each pair of annotators: the mean of sentiment (same or not), topics (Jaccard), spans
(exact F1) and entity sentiment (share of the spans both marked on which they gave the same
sentiment toward the entity), over the parts either of them labelled; the item's agreement is
the mean over pairs. 1.0 is unanimous, and only then: any disagreement the review page shows
pulls it below 1. The project-level statistics (alpha, kappa) are in ``project``.
"""

from itertools import combinations
from typing import NamedTuple

from annotations.agreement.spans import Span, span_prf


class Labels(NamedTuple):
    """What agreement compares of one annotator's labels for an item."""

    sentiment: str
    topics: frozenset[int]
    spans: frozenset[Span]
    # (span, sentiment toward its entity) for the spans given one.
    entity_sentiments: frozenset[tuple[Span, str]] = frozenset()


def labels_agreement(a: Labels, b: Labels) -> float:
    parts = []
    if a.sentiment or b.sentiment:
        parts.append(float(a.sentiment == b.sentiment))
    if a.topics or b.topics:
        parts.append(len(a.topics & b.topics) / len(a.topics | b.topics))
    if a.spans or b.spans:
        parts.append(span_prf(a.spans, b.spans).f1)
    entity = entity_sentiment_agreement(a, b)
    if entity is not None:
        parts.append(entity)
    return sum(parts) / len(parts) if parts else 1.0


def entity_sentiment_agreement(a: Labels, b: Labels) -> float | None:
    """Over the spans both marked exactly where either gave a sentiment toward the entity,
    the share with the same one ("" against a value differs); None where there is none."""
    ours, theirs = dict(a.entity_sentiments), dict(b.entity_sentiments)
    judged = [span for span in a.spans & b.spans if ours.get(span) or theirs.get(span)]
    if not judged:
        return None
    return sum(ours.get(span, "") == theirs.get(span, "") for span in judged) / len(judged)


def item_agreement(labels: list[Labels]) -> float | None:
    pairs = list(combinations(labels, 2))
    if not pairs:
        return None
    return sum(labels_agreement(a, b) for a, b in pairs) / len(pairs)


def annotation_labels(annotation) -> Labels:
    """What agreement compares of an annotation (its spans prefetched), entity sentiment included."""
    spans = list(annotation.spans.all())
    return Labels(annotation.sentiment, frozenset(annotation.topics),
                  frozenset((s.start, s.end, s.label) for s in spans),
                  frozenset(((s.start, s.end, s.label), s.sentiment) for s in spans if s.sentiment))
