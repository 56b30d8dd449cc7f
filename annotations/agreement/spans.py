"""Span precision, recall and F1, exact or by overlap. Written here: it is a few lines."""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass

Span = tuple[int, int, str]  # (start, end, label); end-exclusive code-point offsets
MODES = ("exact", "overlap")


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int  # number of reference spans


def span_prf(predicted: Iterable[Span], reference: Iterable[Span], *, mode: str = "exact") -> PRF:
    """Precision, recall and F1 of `predicted` spans against `reference` spans.

    "exact": same start, end and label. "overlap": same label and intersecting ranges,
    each span matched at most once, greedily by largest overlap. A 0/0 ratio is 1.0 when
    both sets are empty (nothing to find, nothing found) and 0.0 otherwise.
    """
    pred, ref = set(predicted), set(reference)
    matched = span_matches(pred, ref, mode=mode)
    both_empty = not pred and not ref
    return PRF(
        precision=_ratio(matched, len(pred), both_empty),
        recall=_ratio(matched, len(ref), both_empty),
        f1=_ratio(2 * matched, len(pred) + len(ref), both_empty),
        support=len(ref),
    )


def span_matches(predicted: Set[Span], reference: Set[Span], *, mode: str) -> int:
    """Number of matched (predicted, reference) pairs; symmetric in its two arguments."""
    if mode == "exact":
        return len(predicted & reference)
    if mode == "overlap":
        return _greedy_overlap_matches(predicted, reference)
    raise ValueError(f"mode must be one of {MODES}, not {mode!r}")


def _greedy_overlap_matches(predicted: Set[Span], reference: Set[Span]) -> int:
    candidates = [
        (_overlap(p, r), p, r) for p in predicted for r in reference if p[2] == r[2] and _overlap(p, r) > 0
    ]
    # Ties broken by the unordered pair, so swapping the two sets gives the same matching.
    candidates.sort(key=lambda c: (-c[0], min(c[1], c[2]), max(c[1], c[2])))
    used_pred: set[Span] = set()
    used_ref: set[Span] = set()
    for _, p, r in candidates:
        if p not in used_pred and r not in used_ref:
            used_pred.add(p)
            used_ref.add(r)
    return len(used_pred)


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _ratio(numerator: int, denominator: int, both_empty: bool) -> float:
    if denominator == 0:
        return 1.0 if both_empty else 0.0
    return numerator / denominator
