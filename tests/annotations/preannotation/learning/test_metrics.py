"""Held-out figures computed by hand on known cases."""

import pytest

from annotations.preannotation.learning.metrics import label_scores, span_scores


def test_span_scores_count_only_exact_spans_with_the_right_label():
    gold = [[(0, 5, "ORG"), (10, 17, "ORG"), (20, 26, "LOC")], [(0, 11, "PER")]]
    predicted = [[(0, 5, "ORG"), (10, 17, "LOC"), (20, 26, "LOC")], [(0, 5, "PER")]]

    figures = span_scores(gold, predicted, ["PER", "ORG", "LOC", "MISC"])

    assert figures["per_label"]["ORG"] == {"p": 1.0, "r": 0.5, "f1": 0.6667, "support": 2}
    assert figures["per_label"]["LOC"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "support": 1}
    assert figures["per_label"]["PER"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1}
    assert figures["per_label"]["MISC"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0}
    assert figures["micro"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "support": 4}
    assert figures["n_items"] == 2


def test_label_scores_give_accuracy_and_the_mean_of_per_label_f1():
    gold = ["positive", "positive", "negative", "neutral"]
    predicted = ["positive", "negative", "negative", "positive"]

    figures = label_scores(gold, predicted, ["negative", "neutral", "positive"])

    assert figures["accuracy"] == 0.5
    assert figures["per_label"]["positive"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "support": 2}
    assert figures["per_label"]["negative"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "support": 1}
    assert figures["per_label"]["neutral"]["f1"] == 0.0
    assert figures["macro_f1"] == pytest.approx((0.5 + 0.6667 + 0.0) / 3, abs=1e-4)


def test_label_scores_refuse_lists_of_different_lengths():
    with pytest.raises(ValueError):
        label_scores(["positive"], [])
