"""Agreement maths: alpha and kappa against published and hand-computed values, span F1,
and a whole project's report. Pure, no database."""

import json
import math

import pytest

from annotations.agreement import (
    ALL_LABELS,
    GOLD,
    PRF,
    AgreementReport,
    LabelSet,
    cohen_kappa,
    krippendorff_alpha,
    project_agreement,
    span_prf,
)

# --- Krippendorff's alpha: published reference values ------------------------------------
#
# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43), the 4 observers
# x 12 units example with missing data ("." below). Published: nominal .743, ordinal .815,
# interval .849, ratio .797. The same matrix and values are in the tests of the krippendorff
# package (pln-fing-udelar/fast-krippendorff tests/test_krippendorff.py), NLTK
# (nltk/test/unit/test_disagreement.py, 0.743421052632) and jucor/krippendorff (R, 0.743).
_ = None
K2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    "C": [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
}

# Krippendorff (2004), Content Analysis, section 11.3.1 (also section A of the 2011 paper):
# two observers, binary, 10 units, published alpha .095. Data as in jucor/krippendorff
# data-raw/news_presence_krippendorff2004_11_3_1.csv, whose test expects .0952.
NEWS_PRESENCE = {
    "jon": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    "han": [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
}

# Wikipedia, "Krippendorff's alpha", a computational example: 3 coders x 15 units, nominal
# alpha 0.691 (also the krippendorff package's doctest and tests: 0.691358).
WIKIPEDIA = {
    "c1": [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
    "c2": [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
    "c3": [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
}


def units_of(by_coder: dict[str, list]) -> dict[int, dict[str, object]]:
    """Coder rows as printed in the papers -> item -> {coder: value}."""
    n_units = len(next(iter(by_coder.values())))
    return {u: {coder: values[u] for coder, values in by_coder.items()} for u in range(n_units)}


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_matches_krippendorff_2011_worked_example(level, published):
    assert krippendorff_alpha(units_of(K2011), level=level) == pytest.approx(published, abs=0.001)


def test_alpha_matches_the_two_observer_binary_example():
    # Coincidences o00=10, o01=o10=4, o11=2; n0=14, n1=6, n=20.
    # D_o = (4 + 4) / 20 = 0.4;  D_e = 2 * 14 * 6 / (20 * 19) = 0.442105;  alpha = 1 - 0.4/0.442105 = 0.095238
    assert krippendorff_alpha(units_of(NEWS_PRESENCE)) == pytest.approx(0.095, abs=0.001)


def test_alpha_matches_the_wikipedia_example():
    assert krippendorff_alpha(units_of(WIKIPEDIA), level="nominal") == pytest.approx(0.691, abs=0.001)


def test_alpha_ignores_units_with_a_single_value_and_coder_names():
    # Unit 12 of K2011 has one value only: it pairs with nothing, so dropping it changes nothing.
    units = units_of(K2011)
    without_single = {u: values for u, values in units.items() if u != 11}
    renamed = {u: {f"user-{coder}": v for coder, v in values.items()} for u, values in units.items()}
    expected = krippendorff_alpha(units, level="ordinal")
    assert krippendorff_alpha(without_single, level="ordinal") == pytest.approx(expected)
    assert krippendorff_alpha(renamed, level="ordinal") == pytest.approx(expected)


def test_nominal_alpha_takes_any_hashable_values():
    as_words = {u: {c: None if v is None else f"code-{v}" for c, v in values.items()}
                for u, values in units_of(K2011).items()}
    assert krippendorff_alpha(as_words) == pytest.approx(0.743, abs=0.001)


def test_nan_counts_as_missing():
    units = {u: {c: math.nan if v is None else v for c, v in values.items()} for u, values in units_of(K2011).items()}
    assert krippendorff_alpha(units, level="interval") == pytest.approx(0.849, abs=0.001)


def test_alpha_is_one_for_perfect_agreement_with_variation():
    units = {1: {"a": 0, "b": 0}, 2: {"a": 2, "b": 2, "c": 2}, 3: {"a": 1, "b": 1}}
    assert krippendorff_alpha(units, level="ordinal") == 1.0


@pytest.mark.parametrize(
    "units",
    [
        {},
        {1: {}},
        {1: {"a": 1}, 2: {"b": 2}},  # nobody shares an item
        {1: {"a": 1, "b": None}, 2: {"a": None, "b": 2}},  # shared items, but values never pair
        {1: {"a": 3, "b": 3}, 2: {"a": 3, "b": 3}},  # no variation: D_e = 0
        {1: {"a": 3, "b": 3}, 2: {"a": 5}},  # the only other value pairs with nothing
    ],
)
def test_alpha_is_none_where_undefined(units):
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(units, level=level) is None


def test_alpha_rejects_an_unknown_level():
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(units_of(K2011), level="cardinal")


# --- Cohen's kappa ------------------------------------------------------------------------

def test_kappa_matches_hand_computed_example():
    a = ["pos", "pos", "pos", "pos", "neg", "neg", "neg", "neu", "neu", "pos"]
    b = ["pos", "pos", "pos", "neg", "neg", "neg", "neu", "neu", "pos", "pos"]
    # p_o = 7 agreements / 10 = 0.70
    # marginals a: pos 5, neg 3, neu 2;  b: pos 5, neg 3, neu 2
    # p_e = (5*5 + 3*3 + 2*2) / 10**2 = 38/100 = 0.38
    # kappa = (0.70 - 0.38) / (1 - 0.38) = 0.32 / 0.62 = 0.516129
    assert cohen_kappa(a, b) == pytest.approx(0.516129, abs=1e-6)


def test_kappa_extremes():
    assert cohen_kappa(["pos", "neg", "neu"], ["pos", "neg", "neu"]) == 1.0
    # p_o = 0, p_e = 0.5*0.5 + 0.5*0.5 = 0.5, kappa = (0 - 0.5) / 0.5 = -1
    assert cohen_kappa(["pos", "neg"], ["neg", "pos"]) == -1.0
    # Each annotator constant but different: p_o = 0 and p_e = 0, so kappa = 0, not undefined.
    assert cohen_kappa(["pos", "pos"], ["neg", "neg"]) == 0.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([], []),
        (["pos"], ["pos"]),  # one item
        (["pos", None], ["pos", "neg"]),  # one item once the missing label is skipped
        (["neu", "neu", "neu"], ["neu", "neu", "neu"]),  # p_e = 1: kappa is 0/0
    ],
)
def test_kappa_is_none_where_undefined(a, b):
    assert cohen_kappa(a, b) is None


def test_kappa_skips_items_either_annotator_left_blank():
    assert cohen_kappa(["pos", None, "neg", "neu"], ["pos", "neg", "neg", None]) == 1.0


def test_kappa_rejects_sequences_of_different_length():
    with pytest.raises(ValueError, match="equal length"):
        cohen_kappa(["pos", "neg"], ["pos"])


# --- span precision, recall, F1 -----------------------------------------------------------

def test_exact_and_overlap_differ_on_a_shifted_boundary():
    predicted = [(0, 5, "PER"), (10, 20, "ORG")]
    reference = [(0, 5, "PER"), (12, 20, "ORG"), (30, 40, "LOC")]
    # exact: 1 match -> P 1/2, R 1/3, F1 2*1/(2+3) = 0.4
    assert span_prf(predicted, reference) == PRF(precision=0.5, recall=pytest.approx(1 / 3), f1=0.4, support=3)
    # overlap: the shifted ORG matches too -> P 2/2, R 2/3, F1 2*2/5 = 0.8
    assert span_prf(predicted, reference, mode="overlap") == PRF(
        precision=1.0, recall=pytest.approx(2 / 3), f1=0.8, support=3)


def test_same_range_with_another_label_never_matches():
    for mode in ("exact", "overlap"):
        assert span_prf([(0, 5, "PER")], [(0, 5, "ORG")], mode=mode).f1 == 0.0


def test_touching_spans_do_not_overlap():
    # End-exclusive: (0, 5) and (5, 9) share no code point.
    assert span_prf([(0, 5, "PER")], [(5, 9, "PER")], mode="overlap").f1 == 0.0
    assert span_prf([(0, 6, "PER")], [(5, 9, "PER")], mode="overlap").f1 == 1.0


def test_one_long_span_matches_only_one_of_two_short_ones():
    long, short = [(0, 20, "PER")], [(0, 8, "PER"), (10, 20, "PER")]
    assert span_prf(long, short, mode="overlap") == PRF(precision=1.0, recall=0.5, f1=pytest.approx(2 / 3), support=2)
    assert span_prf(short, long, mode="overlap") == PRF(precision=0.5, recall=1.0, f1=pytest.approx(2 / 3), support=1)


def test_overlap_matching_is_greedy_by_largest_overlap():
    # A-X overlap 8 is taken first, which leaves B (overlaps only X) and Y (overlaps only A)
    # unmatched, although A-Y plus B-X would match both: greedy, as documented, not optimal.
    predicted = [(0, 10, "PER"), (8, 12, "PER")]  # A, B
    reference = [(2, 10, "PER"), (0, 3, "PER")]  # X, Y
    result = span_prf(predicted, reference, mode="overlap")
    assert (result.precision, result.recall, result.f1) == (0.5, 0.5, 0.5)
    assert span_prf(reference, predicted, mode="overlap").f1 == 0.5


def test_empty_sets():
    assert span_prf([], []) == PRF(precision=1.0, recall=1.0, f1=1.0, support=0)
    assert span_prf([], [(0, 5, "PER")]) == PRF(precision=0.0, recall=0.0, f1=0.0, support=1)
    assert span_prf([(0, 5, "PER")], [], mode="overlap") == PRF(precision=0.0, recall=0.0, f1=0.0, support=0)


def test_repeated_spans_count_once():
    spans = iter([(0, 5, "PER"), (0, 5, "PER")])
    assert span_prf(spans, [(0, 5, "PER")]) == PRF(precision=1.0, recall=1.0, f1=1.0, support=1)


def test_span_prf_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        span_prf([], [], mode="fuzzy")


# --- a project's report -------------------------------------------------------------------

SCALE = ["negative", "neutral", "positive"]


def labels(item, annotator, sentiment, topics=(), spans=()):
    return LabelSet(item=item, annotator=annotator, sentiment=sentiment,
                    topics=frozenset(topics), spans=frozenset(spans))


def report(label_sets, gold=()):
    return project_agreement(label_sets, sentiment_scale=SCALE, topic_ids=[1, 2],
                             entity_labels=["PER", "ORG"], gold=gold)


def test_perfect_agreement():
    result = report([
        labels(1, 7, "positive", {1}, {(0, 5, "PER")}),
        labels(1, 8, "positive", {1}, {(0, 5, "PER")}),
        labels(2, 7, "negative", {2}, {(10, 15, "ORG")}),
        labels(2, 8, "negative", {2}, {(10, 15, "ORG")}),
    ])

    assert result.sentiment_alpha == 1.0
    assert result.topic_alpha == {1: 1.0, 2: 1.0}
    perfect = {"exact": 1.0, "overlap": 1.0}
    assert result.span_f1 == {"PER": perfect, "ORG": perfect, ALL_LABELS: perfect}
    assert result.pairwise_kappa == [{"a": 7, "b": 8, "items": 2, "kappa": 1.0}]
    assert result.per_annotator[7] == {"items": 2, "sentiment_kappa_mean": 1.0, "span_f1_exact": 1.0,
                                       "span_f1_overlap": 1.0, "gold": None,
                                       "accepted_suggestions": {"spans": 0.0, "document_labels": 0.0}}
    assert result.items == 2


def test_total_disagreement():
    result = report([
        labels(1, 7, "positive", {1}, {(0, 5, "PER")}),
        labels(1, 8, "negative", {2}, {(0, 5, "ORG")}),
        labels(2, 7, "negative", {2}, {(3, 8, "ORG")}),
        labels(2, 8, "positive", {1}, {(20, 25, "ORG")}),
    ])

    # Sentiment indices: item 1 {2, 0}, item 2 {0, 2}. o_02 = o_20 = 2; n_0 = n_2 = 2, n = 4.
    # Ordinal delta^2(0, 2) = (n_0 + n_1 + n_2 - (n_0 + n_2)/2)^2 = (4 - 2)^2 = 4.
    # D_o = (2*4 + 2*4) / 4 = 4;  D_e = (2 * 2*2*4) / (4*3) = 8/3;  alpha = 1 - 4 / (8/3) = -0.5
    assert result.sentiment_alpha == pytest.approx(-0.5)
    # Each topic: present for exactly one of the two on both items. o_01 = o_10 = 2, n_0 = n_1 = 2.
    # D_o = 4/4 = 1;  D_e = 2*2*2 / (4*3) = 2/3;  alpha = 1 - 3/2 = -0.5
    assert result.topic_alpha == {1: pytest.approx(-0.5), 2: pytest.approx(-0.5)}
    # Same range with another label, same label without overlap: nothing matches.
    none = {"exact": 0.0, "overlap": 0.0}
    assert result.span_f1 == {"PER": none, "ORG": none, ALL_LABELS: none}
    # p_o = 0, p_e = 0.5*0.5 + 0.5*0.5 = 0.5, kappa = -0.5/0.5 = -1
    assert result.pairwise_kappa == [{"a": 7, "b": 8, "items": 2, "kappa": -1.0}]
    assert result.per_annotator[8]["sentiment_kappa_mean"] == -1.0
    assert result.per_annotator[8]["span_f1_exact"] == 0.0


def test_one_annotator_only_still_compares_with_gold():
    result = report(
        [labels(1, 7, "positive", {1}, {(0, 5, "PER")}), labels(2, 7, "negative")],
        gold=[labels(1, GOLD, "neutral", {1, 2}, {(0, 5, "PER"), (9, 12, "ORG")})],
    )

    assert result.sentiment_alpha is None
    assert result.topic_alpha == {1: None, 2: None}
    undefined = {"exact": None, "overlap": None}
    assert result.span_f1 == {"PER": undefined, "ORG": undefined, ALL_LABELS: undefined}
    assert result.pairwise_kappa == []
    assert result.items == 0
    # Against gold on item 1: sentiment wrong; spans 1 of 1 vs 2 -> 2*1/(1+2); topics 2*1/(1+2).
    assert result.per_annotator == {7: {
        "items": 2, "sentiment_kappa_mean": None, "span_f1_exact": None, "span_f1_overlap": None,
        "accepted_suggestions": {"spans": 0.0, "document_labels": 0.0},
        "gold": {"items": 1, "sentiment_accuracy": 0.0, "span_f1_exact": pytest.approx(2 / 3),
                 "span_f1_overlap": pytest.approx(2 / 3), "topic_f1": pytest.approx(2 / 3),
                 "entity_sentiment_accuracy": None},
    }}


def test_gold_with_nothing_to_compare_is_undefined_not_perfect():
    result = report(
        [labels(1, 7, None), labels(2, 7, "positive", {1})],
        gold=[labels(1, GOLD, "negative"), labels(2, GOLD, None)],
    )

    # Item 1: the annotator gave no sentiment; item 2: gold has none. Neither side has spans;
    # only item 2 has topics (the annotator's {1} against gold's nothing).
    assert result.per_annotator[7]["gold"] == {"items": 2, "sentiment_accuracy": None, "span_f1_exact": None,
                                               "span_f1_overlap": None, "topic_f1": 0.0,
                                               "entity_sentiment_accuracy": None}


def test_agreement_without_variation_is_undefined_not_perfect():
    result = report([
        labels(1, 7, "neutral"), labels(1, 8, "neutral"),
        labels(2, 7, "neutral"), labels(2, 8, "neutral"),
    ])

    assert result.sentiment_alpha is None
    assert result.topic_alpha == {1: None, 2: None}
    assert result.span_f1[ALL_LABELS] == {"exact": None, "overlap": None}
    assert result.pairwise_kappa == [{"a": 7, "b": 8, "items": 2, "kappa": None}]
    assert result.per_annotator[7]["sentiment_kappa_mean"] is None
    assert result.items == 2


def test_no_label_sets_at_all():
    result = report([])
    assert (result.sentiment_alpha, result.pairwise_kappa, result.per_annotator, result.items) == (None, [], {}, 0)


# Three annotators, three items, gold on two. Every number below was computed by hand.
MIXED = [
    labels(10, 1, "positive", {1}, {(0, 5, "PER"), (10, 20, "ORG")}),
    labels(10, 2, "positive", {1}, {(0, 5, "PER"), (12, 20, "ORG")}),
    labels(10, 3, "neutral", {1, 2}, {(0, 4, "PER")}),
    labels(11, 1, "negative", {2}),
    labels(11, 2, "negative", {2}),
    labels(11, 3, "negative", {2}, {(30, 35, "ORG")}),
    labels(12, 1, "neutral", {1}, {(7, 9, "PER")}),
    labels(12, 2, "positive", {2}, {(7, 9, "PER")}),
]
MIXED_GOLD = [
    labels(10, GOLD, "positive", {1}, {(0, 5, "PER"), (10, 20, "ORG")}),
    labels(12, GOLD, "neutral", {1}, {(7, 9, "PER")}),
]


def test_mixed_project_alphas():
    result = report(MIXED, MIXED_GOLD)

    # Sentiment indices: item 10 {2, 2, 1}, item 11 {0, 0, 0}, item 12 {1, 2}.
    # Coincidences (each pair weighted 1/(m-1)): o_00 = 3, o_12 = o_21 = 1 + 1, o_22 = 1;
    # n_0 = 3, n_1 = 2, n_2 = 3, n = 8.
    # Ordinal delta^2: (0,1) = (5 - 2.5)^2 = 6.25; (1,2) = (5 - 2.5)^2 = 6.25; (0,2) = (8 - 3)^2 = 25.
    # D_o = (2*6.25 + 2*6.25) / 8 = 25/8
    # D_e = 2 * (3*2*6.25 + 2*3*6.25 + 3*3*25) / (8*7) = 600/56
    # alpha = 1 - (25/8) / (600/56) = 1 - 7/24 = 17/24
    assert result.sentiment_alpha == pytest.approx(17 / 24)
    # Topic 1 present: item 10 {1,1,1}, item 11 {0,0,0}, item 12 {1,0}: o_01 = o_10 = 1, n_0 = n_1 = 4.
    #   D_o = 2/8, D_e = 2*4*4/56 = 4/7, alpha = 1 - (1/4)/(4/7) = 9/16
    # Topic 2 present: item 10 {0,0,1}, item 11 {1,1,1}, item 12 {0,1}: o_00 = 1, o_01 = o_10 = 2,
    #   o_11 = 3; n_0 = 3, n_1 = 5. D_o = 4/8, D_e = 2*3*5/56 = 15/28, alpha = 1 - (1/2)/(15/28) = 1/15
    assert result.topic_alpha == {1: pytest.approx(9 / 16), 2: pytest.approx(1 / 15)}
    assert result.items == 3


def test_mixed_project_pairwise_kappa():
    result = report(MIXED, MIXED_GOLD)

    # 1-2 on items 10, 11, 12: pos/pos, neg/neg, neu/pos. p_o = 2/3.
    #   a: pos 1/3, neg 1/3, neu 1/3; b: pos 2/3, neg 1/3. p_e = 2/9 + 1/9 = 1/3. kappa = (1/3)/(2/3) = 0.5
    # 1-3 and 2-3 on items 10, 11: pos/neu, neg/neg. p_o = 1/2, p_e = 1/2*1/2 = 1/4. kappa = (1/4)/(3/4) = 1/3
    assert result.pairwise_kappa == [
        {"a": 1, "b": 2, "items": 3, "kappa": pytest.approx(0.5)},
        {"a": 1, "b": 3, "items": 2, "kappa": pytest.approx(1 / 3)},
        {"a": 2, "b": 3, "items": 2, "kappa": pytest.approx(1 / 3)},
    ]
    assert result.per_annotator[1]["sentiment_kappa_mean"] == pytest.approx((0.5 + 1 / 3) / 2)
    assert result.per_annotator[3]["sentiment_kappa_mean"] == pytest.approx(1 / 3)


def test_mixed_project_span_f1():
    result = report(MIXED, MIXED_GOLD)

    # Pooled over the items each pair shares, F1 = 2 * matched / (spans of a + spans of b):
    #          PER exact/overlap   ORG exact/overlap   ALL exact/overlap
    #   1-2    1 / 1               0 / 1               4/6 / 6/6
    #   1-3    0 / 1               0 / 0 (11 vs 10)    0 / 2/4
    #   2-3    0 / 1               0 / 0               0 / 2/4
    assert result.span_f1 == {
        "PER": {"exact": pytest.approx(1 / 3), "overlap": 1.0},
        "ORG": {"exact": 0.0, "overlap": pytest.approx(1 / 3)},
        ALL_LABELS: {"exact": pytest.approx(2 / 9), "overlap": pytest.approx(2 / 3)},
    }
    assert (result.per_annotator[1]["span_f1_exact"], result.per_annotator[1]["span_f1_overlap"]) == (
        pytest.approx(1 / 3), pytest.approx(0.75))
    assert (result.per_annotator[3]["span_f1_exact"], result.per_annotator[3]["span_f1_overlap"]) == (0.0, 0.5)


def test_mixed_project_against_gold():
    per_annotator = report(MIXED, MIXED_GOLD).per_annotator

    assert per_annotator[1]["gold"] == {"items": 2, "sentiment_accuracy": 1.0, "span_f1_exact": 1.0,
                                        "span_f1_overlap": 1.0, "topic_f1": 1.0, "entity_sentiment_accuracy": None}
    # Item 12 sentiment pos vs neu; ORG (12, 20) vs (10, 20) only overlaps: exact 2*2/(3+3);
    # topics {1},{2} vs {1},{1}: 2*1/(2+2).
    assert per_annotator[2]["gold"] == {"items": 2, "sentiment_accuracy": 0.5,
                                        "span_f1_exact": pytest.approx(2 / 3), "span_f1_overlap": 1.0,
                                        "topic_f1": 0.5, "entity_sentiment_accuracy": None}
    # Only item 10 has gold: neu vs pos; (0, 4, PER) overlaps (0, 5, PER) of 2 gold spans; topics {1, 2} vs {1}.
    assert per_annotator[3]["gold"] == {"items": 1, "sentiment_accuracy": 0.0, "span_f1_exact": 0.0,
                                        "span_f1_overlap": pytest.approx(2 / 3),
                                        "topic_f1": pytest.approx(2 / 3), "entity_sentiment_accuracy": None}
    assert [per_annotator[a]["items"] for a in (1, 2, 3)] == [3, 3, 2]


def test_sentiment_outside_the_scale_counts_as_not_given():
    result = report([
        labels(1, 7, "positive"), labels(1, 8, ""),
        labels(2, 7, "negative"), labels(2, 8, "furious"),
        labels(3, 7, "negative"), labels(3, 8, "negative"),
    ])
    assert result.pairwise_kappa == []  # one item left where both gave a sentiment on the scale
    assert result.sentiment_alpha is None  # item 3 alone: no variation


def test_as_dict_is_plain_json():
    result = report(MIXED + [labels(12, "ext-model", "neutral", {1})], MIXED_GOLD)

    data = result.as_dict()

    assert isinstance(result, AgreementReport)
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"sentiment_alpha", "entity_sentiment_alpha", "topic_alpha", "span_f1", "pairwise_kappa",
                         "per_annotator", "items"}
    assert list(data["topic_alpha"]) == ["1", "2"]
    assert list(data["per_annotator"]) == ["1", "2", "3", "ext-model"]
    # ext-model shares one item with 1 and 2: too few for kappa; it marked none of their spans.
    assert all("ext-model" not in (row["a"], row["b"]) for row in data["pairwise_kappa"])
    assert data["per_annotator"]["ext-model"]["sentiment_kappa_mean"] is None
    assert data["per_annotator"]["ext-model"]["span_f1_exact"] == 0.0
    data["span_f1"]["PER"]["exact"] = -1.0
    assert result.span_f1["PER"]["exact"] != -1.0, "as_dict must not hand out the report's own dicts"


# --- entity sentiment and provenance in a project's report ------------------------------

P, Q, R = (0, 5, "PER"), (10, 15, "ORG"), (3, 8, "PER")


def toward(item, annotator, spans: dict, sentiment=None, **provenance):
    """A LabelSet whose spans carry a sentiment toward their entity: {span: sentiment or ""}."""
    return LabelSet(item=item, annotator=annotator, sentiment=sentiment, topics=frozenset(provenance.pop("topics", ())),
                    spans=frozenset(spans), entity_sentiments=frozenset((s, v) for s, v in spans.items() if v),
                    **provenance)


def test_entity_sentiment_alpha_over_spans_matched_exactly():
    result = report([
        toward(1, 7, {P: "positive", Q: "neutral"}),
        toward(1, 8, {P: "negative", Q: "neutral", (0, 5, "ORG"): "neutral"}),
        toward(2, 7, {R: "positive", (20, 25, "ORG"): "negative", (30, 35, "PER"): "negative"}),
        toward(2, 8, {R: "positive", (30, 35, "PER"): ""}),
        toward(2, 9, {R: "neutral"}),
    ])

    # Units: (1, P) {2, 0}; (1, Q) {1, 1}; (2, R) {2, 2, 1}. (0, 5, ORG) and (20, 25, ORG) have one
    # annotator; on (30, 35, PER) annotator 8 gave no sentiment: one value each, they pair with nothing.
    # Coincidences: o_02 = o_20 = 1; o_11 = 2; (2, R) with m = 3: o_22 = 2/2, o_12 = o_21 = 2/2.
    # n_0 = 1, n_1 = 3, n_2 = 3, n = 7.
    # Ordinal delta^2: (0,1) = ((1+3)/2)^2 = 4; (1,2) = ((3+3)/2)^2 = 9; (0,2) = (7 - (1+3)/2)^2 = 25.
    # D_o = (2*25 + 2*9) / 7 = 68/7;  D_e = 2 * (1*3*4 + 3*3*9 + 1*3*25) / (7*6) = 336/42 = 8
    # alpha = 1 - (68/7) / 8 = -3/14
    assert result.entity_sentiment_alpha == pytest.approx(-3 / 14)
    assert result.as_dict()["entity_sentiment_alpha"] == pytest.approx(-3 / 14)


def test_entity_sentiment_alpha_is_one_when_every_matched_span_agrees_and_none_without_pairs():
    agreed = report([toward(1, 7, {P: "positive", Q: "negative"}), toward(1, 8, {P: "positive", Q: "negative"})])
    unmatched = report([toward(1, 7, {P: "positive"}), toward(1, 8, {(0, 6, "PER"): "negative"})])
    without = report([labels(1, 7, "positive", spans={P}), labels(1, 8, "negative", spans={P})])

    assert agreed.entity_sentiment_alpha == 1.0
    assert unmatched.entity_sentiment_alpha is None  # an overlap is not an exact match
    assert without.entity_sentiment_alpha is None


def test_per_annotator_share_of_labels_taken_from_suggestions_unchanged():
    result = report([
        toward(1, 7, {P: "", Q: ""}, sentiment="positive", topics={1, 2}, accepted_spans=frozenset({P}),
               accepted_document_labels=frozenset({"sentiment", "topic:1", "topic:9"})),
        toward(2, 7, {}),
        toward(1, 8, {P: ""}, sentiment="neutral"),
    ])

    # Annotator 7: spans P (accepted), Q -> 1/2. Document labels: sentiment (accepted), topic 1
    # (accepted), topic 2; item 2 has none; "topic:9" is not among its labels -> 2/3.
    assert result.per_annotator[7]["accepted_suggestions"] == {"spans": 0.5, "document_labels": pytest.approx(2 / 3)}
    assert result.per_annotator[8]["accepted_suggestions"] == {"spans": 0.0, "document_labels": 0.0}
    nothing = report([toward(1, 7, {}), toward(1, 8, {})])
    assert nothing.per_annotator[7]["accepted_suggestions"] == {"spans": None, "document_labels": None}


def test_entity_sentiment_against_gold_on_the_spans_both_marked():
    result = report([toward(1, 7, {P: "positive", Q: "neutral", R: ""}), toward(2, 7, {P: "negative"})],
                    gold=[toward(1, GOLD, {P: "negative", Q: "neutral", R: ""}), toward(2, GOLD, {(0, 6, "PER"): ""})])

    # Item 1: P differs, Q agrees, R has none on either side (not judged); item 2 shares no span.
    assert result.per_annotator[7]["gold"]["entity_sentiment_accuracy"] == 0.5
