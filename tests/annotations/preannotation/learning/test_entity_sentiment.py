"""Target-dependent entity sentiment, really trained on conftest's tiny gold set."""

import pytest

from annotations.preannotation.learning.entity_sentiment import (
    EntitySentimentModel,
    context_of,
    scale_label,
    sentence_vader_labels,
)

from .conftest import SCALE


def mentions(text, *names):
    return [(text, (text.index(name), text.index(name) + len(name))) for name in names]


def test_two_entities_in_one_sentence_get_different_labels_from_their_own_context(sentiment_model):
    items = mentions("Milan beat Juventus on Sunday.", "Milan", "Juventus")

    labels = [label for label, _ in sentiment_model.predict(items)]

    assert labels == ["positive", "negative"]
    baseline = sentence_vader_labels(items, SCALE)
    assert baseline[0] == baseline[1]  # the sentence baseline cannot tell them apart


def test_the_mention_itself_is_masked_so_names_are_not_learned():
    text = "Milan beat Juventus on Sunday, and Juventus fans were furious."
    context = context_of(text, (11, 19), window=6, near=2)

    assert "juventus" not in context["left"] + context["right"]
    assert context["near"] == "l1_beat l2_milan r1_on r2_sunday"


def test_predictions_are_labels_of_the_scale_with_probabilities(sentiment_model):
    predicted = sentiment_model.predict(mentions("Roma thanked Lazio for the support.", "Roma", "Lazio"))

    assert all(label in SCALE and 0 < probability <= 1 for label, probability in predicted)
    assert sentiment_model.predict([]) == []


def test_evaluate_scores_the_models_own_predictions(sentiment_model):
    items = mentions("Porto lost to Braga on Sunday.", "Porto", "Braga")
    gold = [(text, target, label) for (text, target), label in zip(items, ["negative", "negative"])]

    figures = sentiment_model.evaluate(gold)

    predicted = [label for label, _ in sentiment_model.predict(items)]
    assert figures["accuracy"] == sum(p == "negative" for p in predicted) / 2
    assert figures["n_items"] == 2
    assert set(figures["per_label"]) == set(SCALE)


def test_the_model_survives_bytes_with_identical_predictions(sentiment_model):
    items = mentions("Ajax beat Feyenoord, and Feyenoord accused the referee.", "Ajax", "Feyenoord")

    restored = EntitySentimentModel.from_bytes(sentiment_model.to_bytes())

    assert restored.predict(items) == sentiment_model.predict(items)


def test_bytes_of_something_else_are_refused():
    import pickle

    with pytest.raises(ValueError):
        EntitySentimentModel.from_bytes(pickle.dumps({"not": "a model"}))


@pytest.mark.parametrize(("compound", "expected"), [(-0.9, "--"), (-0.3, "-"), (0.0, "0"), (0.04, "0"),
                                                    (0.3, "+"), (0.9, "++")])
def test_vader_compounds_map_onto_a_five_point_scale(compound, expected):
    assert scale_label(compound, ["--", "-", "0", "+", "++"]) == expected


def test_an_even_scale_has_no_neutral_band():
    assert [scale_label(c, ["bad", "good"]) for c in (-0.01, 0.01)] == ["bad", "good"]


def test_training_needs_two_labels_at_least():
    with pytest.raises(ValueError):
        EntitySentimentModel.train([("Leeds won.", (0, 5), "positive")], SCALE)
