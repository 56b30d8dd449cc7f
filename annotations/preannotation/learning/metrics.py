"""Held-out figures of a single-label classifier: per label precision, recall and F1, accuracy,
macro-F1 and the number of items. Pure: no Django, no numpy."""

from collections.abc import Sequence


def classification_figures(predicted: Sequence[str], gold: Sequence[str], *, labels: Sequence[str] = ()) -> dict:
    """Figures of ``predicted[i]`` against ``gold[i]``. Macro-F1 averages the labels present in
    gold or predictions (and ``labels``, e.g. the whole scale); a label never predicted nor in
    gold counts only if listed in ``labels``. Precision is None for a label never predicted."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    names = sorted(set(labels) | set(gold) | set(predicted), key=lambda name: (list(labels).index(name)
                                                                          if name in labels else len(labels), name))
    per_label = {name: _label_figures(name, predicted, gold) for name in names}
    f1s = [figures["f1"] for figures in per_label.values()]
    correct = sum(p == g for p, g in zip(predicted, gold))
    return {"n_items": len(gold), "accuracy": _round(correct / len(gold)) if gold else None,
            "macro_f1": _round(sum(f1s) / len(f1s)) if f1s and gold else None, "labels": per_label}


def _label_figures(name: str, predicted: Sequence[str], gold: Sequence[str]) -> dict:
    matched = sum(p == name and g == name for p, g in zip(predicted, gold))
    suggested = sum(p == name for p in predicted)
    support = sum(g == name for g in gold)
    precision = matched / suggested if suggested else None
    recall = matched / support if support else None
    f1 = 2 * matched / (suggested + support) if suggested + support else 0.0
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1), "support": support}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
