"""Per-topic thresholds calibrated on held-out gold, the suggestion rule, and cross-fitted
figures (pure code, no database)."""

import random

import pytest

from annotations.preannotation.calibration import (MIN_CALIBRATION_POSITIVES, UNCALIBRATED_MIN_SCORE,
                                                   best_threshold, cross_fitted_suggestions, figures,
                                                   held_out_figures, thresholds_calibrate, topics_suggested)


def test_the_threshold_maximises_f1_and_sits_between_two_scores():
    # Scores 0.9 0.8 (positives), 0.7 (negative), 0.6 (positive), 0.2 (negative): cutting below
    # 0.6 gives P 3/4, R 1, F1 6/7, the best; the threshold is halfway to the next score down.
    pairs = [(0.9, True), (0.8, True), (0.7, False), (0.6, True), (0.2, False)]

    assert best_threshold(pairs) == pytest.approx((0.6 + 0.2) / 2)


def test_equal_f1_goes_to_the_higher_threshold():
    # Cutting after 0.9 (P 1, R 1/2, F1 2/3) or after 0.5 (P 1/2, R 1, F1 2/3): the fewer suggestions win.
    pairs = [(0.9, True), (0.8, False), (0.7, False), (0.5, True)]

    assert best_threshold(pairs) == pytest.approx((0.9 + 0.8) / 2)


def test_no_threshold_when_the_topic_is_never_precise_enough():
    pairs = [(0.9, False), (0.8, False), (0.7, True), (0.6, False), (0.5, False)]  # best precision 1/3

    assert best_threshold(pairs) is None


def test_equal_scores_are_suggested_together():
    pairs = [(0.8, True), (0.8, False), (0.8, False), (0.1, False)]  # 0.8 alone has precision 1/3

    assert best_threshold(pairs) is None


def test_only_topics_with_enough_held_out_positives_are_calibrated():
    scores = [{"a": 0.9 - i / 100, "b": 0.3} for i in range(10)]
    gold = [{"a"} if i < MIN_CALIBRATION_POSITIVES else ({"b"} if i == 9 else set()) for i in range(10)]

    thresholds = thresholds_calibrate(scores, gold)

    assert set(thresholds) == {"a"}
    expected = (scores[MIN_CALIBRATION_POSITIVES - 1]["a"] + scores[MIN_CALIBRATION_POSITIVES]["a"]) / 2
    assert thresholds["a"] == pytest.approx(expected)


def test_calibrated_topics_are_suggested_exactly_at_or_above_their_threshold():
    scores = {"economy": 0.41, "politics": 0.40, "sport": 0.39, "weather": 0.9}
    thresholds = {"economy": 0.41, "politics": 0.4001, "sport": 0.2, "weather": None}

    assert topics_suggested(scores, thresholds) == ["economy", "sport"]


def test_without_calibration_at_most_the_top_topic_is_suggested():
    three_likely = {"economy": 0.93, "politics": 0.81, "sport": 0.62}

    assert topics_suggested(three_likely, {}) == ["economy"]
    assert topics_suggested({"economy": UNCALIBRATED_MIN_SCORE - 0.01, "sport": 0.3}, {}) == []
    # An uncalibrated topic that is not the text's top one is never suggested.
    assert topics_suggested(three_likely, {"economy": 0.95}) == []
    assert topics_suggested(three_likely, {"politics": 0.5}) == ["economy", "politics"]


def test_cross_fitted_decisions_never_use_the_item_s_own_label():
    rng = random.Random(3)
    scores = [{"a": round(rng.random(), 4), "b": round(rng.random(), 4)} for _ in range(60)]
    gold = [{topic for topic in "ab" if rng.random() < row[topic]} for row in scores]
    decided = cross_fitted_suggestions(scores, gold)
    assert any(decision != topics for decision, topics in zip(decided, gold))  # not a trivial case

    for item in range(len(scores)):
        flipped = list(gold)
        flipped[item] = {"a", "b"} - gold[item]
        assert cross_fitted_suggestions(scores, flipped)[item] == decided[item]


def test_held_out_figures_are_the_figures_of_the_cross_fitted_decisions():
    rng = random.Random(5)
    scores = [{"a": round(rng.random(), 4)} for _ in range(40)]
    gold = [{"a"} if rng.random() < row["a"] else set() for row in scores]

    assert held_out_figures(scores, gold) == figures(cross_fitted_suggestions(scores, gold), gold)
    assert held_out_figures(scores, gold)["items"] == 40


def test_figures_count_every_item_and_topic():
    suggested = [{"a"}, {"a", "b"}, set()]
    gold = [{"a"}, {"b"}, {"c"}]

    result = figures(suggested, gold)

    assert (result["items"], result["matched"], result["suggested"], result["gold"]) == (3, 2, 3, 3)
    assert result["micro_precision"] == result["micro_recall"] == round(2 / 3, 4)
    assert result["subset_accuracy"] == round(1 / 3, 4)
    assert result["topics"]["a"] == {"positives": 1, "suggested": 2, "matched": 1, "precision": 0.5, "recall": 1.0}
    assert result["topics"]["c"]["precision"] is None and result["topics"]["c"]["recall"] == 0.0
