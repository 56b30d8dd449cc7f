"""How much an item's annotators agree, as one number a reviewer can sort and filter by.

For each pair of annotators: the mean of sentiment (same or not), topics (Jaccard) and
spans (exact F1), over the parts either of them labelled; the item's agreement is the mean
over pairs. 1.0 is unanimous. The project-level statistics (alpha, kappa) are in ``project``.
"""

from itertools import combinations

from annotations.agreement.spans import span_prf

Labels = tuple[str, frozenset, frozenset]  # sentiment, topic ids, spans (start, end, label)


def labels_agreement(a: Labels, b: Labels) -> float:
    parts = []
    if a[0] or b[0]:
        parts.append(float(a[0] == b[0]))
    if a[1] or b[1]:
        parts.append(len(a[1] & b[1]) / len(a[1] | b[1]))
    if a[2] or b[2]:
        parts.append(span_prf(a[2], b[2]).f1)
    return sum(parts) / len(parts) if parts else 1.0


def item_agreement(labels: list[Labels]) -> float | None:
    pairs = list(combinations(labels, 2))
    if not pairs:
        return None
    return sum(labels_agreement(a, b) for a, b in pairs) / len(pairs)


def annotation_labels(annotation) -> Labels:
    """What agreement compares of an annotation (its spans prefetched); entity sentiment is not part of it."""
    return (annotation.sentiment, frozenset(annotation.topics),
            frozenset((s.start, s.end, s.label) for s in annotation.spans.all()))
