"""The entity learner, really trained on the tiny gold set of conftest (seconds on the CPU)."""

import pytest

from annotations.preannotation.learning.ner import NerModel

from .conftest import ENTITY_TYPES, NER_HELD_OUT, spans


def test_the_trained_model_finds_the_project_types_on_sentences_it_never_saw(ner_model):
    figures = ner_model.evaluate(NER_HELD_OUT)

    assert figures["n_items"] == len(NER_HELD_OUT)
    assert figures["micro"]["f1"] >= 0.7
    assert set(figures["per_label"]) == set(ENTITY_TYPES)


def test_teams_named_after_cities_are_organisations_and_only_project_labels_come_out(ner_model):
    text, _ = spans("Coach Martin Keller said Hamburg deserved the win over Bremen.")
    found = {(text[start:end], label) for start, end, label, _ in ner_model.predict([text])[0]}

    assert ("Hamburg", "ORG") in found
    assert ("Martin Keller", "PER") in found
    assert {label for _, label in found} <= set(ENTITY_TYPES)


def test_spans_carry_scores_between_zero_and_one(ner_model):
    predicted = ner_model.predict([text for text, _ in NER_HELD_OUT])

    assert all(0 < score <= 1 for spans_of_text in predicted for *_, score in spans_of_text)


def test_calibration_takes_each_labels_held_out_precision(ner_model):
    restored = NerModel.from_bytes(ner_model.to_bytes())
    restored.calibrate({"per_label": {"PER": {"p": 0.8}, "ORG": {"p": 1.0}}})
    text = "Coach Martin Keller said Hamburg deserved the win over Bremen."

    scores = {label: score for _, _, label, score in restored.predict([text])[0]}

    assert scores["PER"] == 0.8
    assert scores["ORG"] < 1  # never certainty


def test_the_model_survives_bytes_with_identical_predictions(ner_model):
    texts = [text for text, _ in NER_HELD_OUT] + ["Ms. Okoro flew from Accra to Lagos for talks with Shell."]

    restored = NerModel.from_bytes(ner_model.to_bytes())

    assert restored.predict(texts) == ner_model.predict(texts)
    assert restored.labels == ner_model.labels


def test_bytes_of_something_else_are_refused():
    import srsly

    with pytest.raises(ValueError):
        NerModel.from_bytes(srsly.msgpack_dumps({"format": "other"}))


def test_training_without_examples_is_refused():
    with pytest.raises(ValueError):
        NerModel.train([], ENTITY_TYPES)


def test_training_is_repeatable_for_a_seed():
    from .conftest import NER_TRAIN

    texts = [text for text, _ in NER_HELD_OUT]
    settings = {"epochs": 2}

    first = NerModel.train(NER_TRAIN[:8], ENTITY_TYPES, seed=3, settings=settings)
    second = NerModel.train(NER_TRAIN[:8], ENTITY_TYPES, seed=3, settings=settings)

    assert first.predict(texts) == second.predict(texts)
    assert first.to_bytes() == second.to_bytes()
