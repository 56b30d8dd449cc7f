"""Which topics a trained classifier suggests: per-topic thresholds calibrated on held-out gold,
the rule that turns one text's topic probabilities into suggestions, and the held-out figures
of that rule.

The rule (``topics_suggested``): a topic with a calibrated threshold is suggested when its
probability reaches it; of the topics without one, only the text's most probable topic may be,
and only from UNCALIBRATED_MIN_SCORE. So a classifier without calibration data suggests at most
one topic per text, never a ranked list cut at an arbitrary score.

Figures are cross-fitted: each held-out item is decided with thresholds calibrated on the other
held-out items, never on its own labels. Thresholds calibrated and measured on the same items
look better than they are (the F1-best cut fits those items' noise): on the calibration
benchmark (``benchmarks.topic_calibration``, five runs per size) that overstated precision by
0.10 on average with 58 held-out items and by 0.04 with 200, while the cross-fitted figure was
within 0.01 on average of what 1,000 articles that never were gold got. The thresholds stored
with a version are calibrated on all of its held-out items; the figures estimate how that
procedure does on new articles.

Pure: no Django, no numpy. Topics are any hashable keys (topic ids in the product).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

Topic = TypeVar("Topic", bound=Hashable)

# Below this many held-out positives, a topic's F1-best threshold is set by one or two articles.
MIN_CALIBRATION_POSITIVES = 5
# A calibrated topic is suggested only from where it is right at least as often as wrong.
MIN_PRECISION = 0.5
# An uncalibrated topic needs this probability: the decision boundary of the class-balanced
# logistic regression the classifier is made of.
UNCALIBRATED_MIN_SCORE = 0.5
# Folds of the cross-fitted figures: each item is decided by thresholds from the other 4/5.
CROSS_FIT_FOLDS = 5


def topics_suggested(scores: Mapping[Topic, float], thresholds: Mapping[Topic, float | None]) -> list[Topic]:
    """The topics to suggest for one text, most probable first (see the module docstring).
    A threshold of None means the topic is never suggested: no threshold made it precise enough."""
    chosen = [topic for topic, score in scores.items()
              if thresholds.get(topic) is not None and score >= thresholds[topic]]
    if scores:
        top = min(scores, key=lambda topic: (-scores[topic], str(topic)))
        if top not in thresholds and scores[top] >= UNCALIBRATED_MIN_SCORE:
            chosen.append(top)
    return sorted(chosen, key=lambda topic: (-scores[topic], str(topic)))


def thresholds_calibrate(scores: Sequence[Mapping[Topic, float]], gold: Sequence[set[Topic]]
                         ) -> dict[Topic, float | None]:
    """Per topic the classifier scores and with at least MIN_CALIBRATION_POSITIVES items of it in
    ``gold``: the threshold that maximises the topic's F1 on these items among those with
    precision at least MIN_PRECISION (None if there is none). Other topics are left out."""
    topics = sorted({topic for row in scores for topic in row}, key=str)
    thresholds = {}
    for topic in topics:
        pairs = [(row[topic], topic in labels) for row, labels in zip(scores, gold) if topic in row]
        if sum(positive for _, positive in pairs) >= MIN_CALIBRATION_POSITIVES:
            thresholds[topic] = best_threshold(pairs)
    return thresholds


def best_threshold(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """The F1-best threshold over (score, is positive) pairs with precision >= MIN_PRECISION, or
    None. Ties go to the higher threshold (fewer suggestions). The threshold sits halfway between
    the lowest score suggested and the next one below, so a new text's score is judged by the
    nearest calibration item on either side, not by one of them alone."""
    ranked = sorted(pairs, key=lambda pair: -pair[0])
    positives = sum(positive for _, positive in ranked)
    best_f1, cut = 0.0, None
    matched = 0
    for index, (score, positive) in enumerate(ranked):
        matched += positive
        if index + 1 < len(ranked) and ranked[index + 1][0] == score:
            continue  # equal scores are suggested together or not at all
        suggested = index + 1
        f1 = 2 * matched / (suggested + positives)
        if matched / suggested >= MIN_PRECISION and f1 > best_f1:
            best_f1, cut = f1, index
    if cut is None:
        return None
    lowest = ranked[cut][0]
    return lowest if cut + 1 == len(ranked) else (lowest + ranked[cut + 1][0]) / 2


def held_out_figures(scores: Sequence[Mapping[Topic, float]], gold: Sequence[set[Topic]], *,
                     folds: int = CROSS_FIT_FOLDS) -> dict:
    """``figures`` of the cross-fitted decisions on held-out items (``scores[i]`` and ``gold[i]``
    for item i, in a fixed order)."""
    return figures(cross_fitted_suggestions(scores, gold, folds=folds), gold)


def cross_fitted_suggestions(scores: Sequence[Mapping[Topic, float]], gold: Sequence[set[Topic]], *,
                             folds: int = CROSS_FIT_FOLDS) -> list[set[Topic]]:
    """The topics suggested for each item by thresholds calibrated without it: item i is in fold
    ``i % folds`` and decided with thresholds calibrated on the other folds."""
    decided: list[set[Topic]] = [set() for _ in scores]
    for fold in range(min(folds, len(scores))):
        others = [i for i in range(len(scores)) if i % folds != fold]
        thresholds = thresholds_calibrate([scores[i] for i in others], [gold[i] for i in others])
        for i in range(fold, len(scores), folds):
            decided[i] = set(topics_suggested(scores[i], thresholds))
    return decided


def figures(suggested: Sequence[set[Topic]], gold: Sequence[set[Topic]]) -> dict:
    """Micro-averaged precision, recall and F1 over every (item, topic), the share of items whose
    suggestions are exactly their gold topics, the counts behind them, and per topic its gold
    items (``positives``), suggestions, matches, precision and recall. None where undefined."""
    per_topic: dict[Topic, list[int]] = {}  # topic -> [positives, suggested, matched]
    for decided, labels in zip(suggested, gold):
        for topic in decided | labels:
            counts = per_topic.setdefault(topic, [0, 0, 0])
            counts[0] += topic in labels
            counts[1] += topic in decided
            counts[2] += topic in decided and topic in labels
    matched = sum(counts[2] for counts in per_topic.values())
    total_suggested = sum(counts[1] for counts in per_topic.values())
    total_gold = sum(counts[0] for counts in per_topic.values())
    return {
        "items": len(gold), "matched": matched, "suggested": total_suggested, "gold": total_gold,
        "micro_precision": _ratio(matched, total_suggested), "micro_recall": _ratio(matched, total_gold),
        "micro_f1": _ratio(2 * matched, total_suggested + total_gold),
        "subset_accuracy": _ratio(sum(decided == labels for decided, labels in zip(suggested, gold)), len(gold)),
        "topics": {topic: {"positives": positives, "suggested": count, "matched": hits,
                           "precision": _ratio(hits, count), "recall": _ratio(hits, positives)}
                   for topic, (positives, count, hits) in per_topic.items()},
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None
