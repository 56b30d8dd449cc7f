"""Held-out figures of the learners: exact-span P/R/F1 for entities, accuracy and macro-F1 for
labels. Pure: plain lists in, plain dicts out (JSON-ready)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

Span = tuple[int, int, str]  # (start, end, label), code-point offsets, end-exclusive


def _prf(true_positives: int, predicted: int, support: int) -> dict:
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "support": support}


def span_scores(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]],
                labels: Iterable[str] | None = None) -> dict:
    """Exact-span matching: a predicted span counts only if start, end and label all equal a gold
    span's. ``per_label`` covers ``labels`` (or every label seen); ``micro`` pools all spans."""
    true_positives, predicted_count, support = Counter(), Counter(), Counter()
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        gold_set, predicted_set = set(gold_spans), set(predicted_spans)
        for _, _, label in gold_set:
            support[label] += 1
        for span in predicted_set:
            predicted_count[span[2]] += 1
            if span in gold_set:
                true_positives[span[2]] += 1
    names = sorted(set(labels) if labels is not None else set(support) | set(predicted_count))
    per_label = {name: _prf(true_positives[name], predicted_count[name], support[name]) for name in names}
    micro = _prf(sum(true_positives[n] for n in names), sum(predicted_count[n] for n in names),
                 sum(support[n] for n in names))
    return {"per_label": per_label, "micro": micro, "n_items": len(gold)}


def label_scores(gold: Sequence[str], predicted: Sequence[str], labels: Iterable[str] | None = None) -> dict:
    """Accuracy, macro-F1 over ``labels`` (or every label seen) and per-label P/R/F1 of one label
    per example."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    names = sorted(set(labels) if labels is not None else set(gold) | set(predicted))
    per_label = {}
    for name in names:
        hits = sum(1 for g, p in zip(gold, predicted) if g == p == name)
        per_label[name] = _prf(hits, sum(1 for p in predicted if p == name), sum(1 for g in gold if g == name))
    accuracy = sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold) if gold else 0.0
    macro_f1 = sum(figures["f1"] for figures in per_label.values()) / len(per_label) if per_label else 0.0
    return {"accuracy": round(accuracy, 4), "macro_f1": round(macro_f1, 4), "per_label": per_label,
            "n_items": len(gold)}
