"""Chance-corrected coefficients: Krippendorff's alpha and Cohen's kappa.

Thin wrappers around `krippendorff.alpha` and `sklearn.metrics.cohen_kappa_score`. They
check first whether the coefficient is defined at all, because the libraries answer an
undefined one with an exception (krippendorff) or a warning and NaN (scikit-learn).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

import krippendorff
import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    units: Mapping[Hashable, Mapping[int | str, object]], *, level: str = "nominal"
) -> float | None:
    """Krippendorff's alpha of `units` (item -> {annotator: value}) at `level` of measurement.

    None and NaN values are missing. Ordinal, interval and ratio values must be numbers
    (map a scale to its indices first). Returns None where alpha is undefined: no item
    has two values, or all pairable values are equal (expected disagreement is 0).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    pairable = _pairable_values(units)
    domain = sorted({value for values in pairable for value in values}, key=_domain_key(level))
    if len(domain) < 2:
        return None
    counts = _value_counts(pairable, domain)
    # Nominal values may be any hashables; the library only needs them to be distinct codes.
    value_domain = list(range(len(domain))) if level == "nominal" else [float(v) for v in domain]
    alpha = krippendorff.alpha(value_counts=counts, value_domain=value_domain, level_of_measurement=level)
    return _finite(alpha)


def cohen_kappa(a: Sequence, b: Sequence) -> float | None:
    """Cohen's kappa between two annotators' labels of the same items, position by position.

    Positions where either label is None are skipped. Returns None with fewer than two
    labelled items, or when both used one and the same category throughout (p_e = 1).
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs sequences of equal length, not {len(a)} and {len(b)}")
    pairs = [(x, y) for x, y in zip(a, b) if not _missing(x) and not _missing(y)]
    if len(pairs) < 2 or len({value for pair in pairs for value in pair}) < 2:
        return None
    left, right = zip(*pairs)
    # Imported here: scikit-learn brings SciPy and pandas (~160 MB per process), and every
    # process that loads the labeling services imports this module, most never to compute a kappa.
    from sklearn.metrics import cohen_kappa_score

    return _finite(cohen_kappa_score(list(left), list(right)))


def _pairable_values(units: Mapping[Hashable, Mapping[int | str, object]]) -> list[list]:
    """The present values of each item that has at least two; single values pair with nothing."""
    present = ([v for v in by_annotator.values() if not _missing(v)] for by_annotator in units.values())
    return [values for values in present if len(values) >= 2]


def _value_counts(pairable: list[list], domain: list) -> np.ndarray:
    """Items x values matrix of how many annotators gave each value: alpha needs nothing else."""
    column = {value: index for index, value in enumerate(domain)}
    counts = np.zeros((len(pairable), len(domain)), dtype=int)
    for row, values in enumerate(pairable):
        for value, n in Counter(values).items():
            counts[row, column[value]] = n
    return counts


def _domain_key(level: str):
    # Ordered levels need numeric order; nominal values only need a stable order.
    return (lambda value: (type(value).__name__, repr(value))) if level == "nominal" else float


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _finite(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
