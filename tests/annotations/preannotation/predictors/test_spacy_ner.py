"""Entity spans, entities and entity sentiment from the real small English model."""

import pytest

from annotations.preannotation.predictors.base import PredictionContext
from annotations.preannotation.predictors.spacy_ner import SpacyEntityPredictor
from annotations.preannotation.predictors.spacy_ner import MODEL_VERSION

HARBOUR_STORY = (
    "Mayor Alma Verhoeven opened the new harbour bridge in Port Ellery on Tuesday. "
    "Verhoeven thanked the Valdorian Shipping Company for its support. "
    "Ms. Verhoeven said the bridge cost 40 million dollars."
)


@pytest.fixture
def predict(nlp):
    def run(text, **options):
        return SpacyEntityPredictor(**options).predict([text], PredictionContext())[0]

    return run


def test_spans_are_slices_of_the_text_with_ontonotes_labels(predict):
    suggestion = predict(HARBOUR_STORY)

    assert all(HARBOUR_STORY[span.start : span.end] == span.text for span in suggestion.spans)
    found = {(span.text, span.label) for span in suggestion.spans}
    assert ("Alma Verhoeven", "PERSON") in found
    assert ("the Valdorian Shipping Company", "ORG") in found
    assert all(0 < span.score <= 1 for span in suggestion.spans)


def test_dates_and_amounts_are_left_out_unless_asked_for(predict):
    default_labels = {span.label for span in predict(HARBOUR_STORY).spans}
    asked = predict(HARBOUR_STORY, labels=["DATE", "MONEY"])

    assert not default_labels & {"DATE", "MONEY"}
    assert {(span.text, span.label) for span in asked.spans} == {("Tuesday", "DATE"), ("40 million dollars", "MONEY")}


def test_project_options_choose_the_labels(nlp):
    predictor = SpacyEntityPredictor.from_options({"labels": ["PERSON"]})

    suggestion = predictor.predict([HARBOUR_STORY], PredictionContext())[0]

    assert {span.label for span in suggestion.spans} == {"PERSON"}


def test_emoji_before_entities_keep_offsets_right(predict):
    text = "🎉🎉 Crowds in Valdoria cheered as President Tomas Reyes arrived. 👍 Reyes waved in Marrowby."

    suggestion = predict(text)

    assert {span.text for span in suggestion.spans} >= {"Valdoria", "Tomas Reyes", "Reyes", "Marrowby"}
    assert all(text[span.start : span.end] == span.text for span in suggestion.spans)
    assert not any("🎉" in span.text for span in suggestion.spans)


def test_mentions_of_one_person_share_an_entity(predict):
    suggestion = predict(HARBOUR_STORY)

    verhoeven = [span for span in suggestion.spans if "Verhoeven" in span.text]
    assert len(verhoeven) >= 2
    assert len({span.entity for span in verhoeven}) == 1
    entity = suggestion.entities[verhoeven[0].entity]
    assert entity.name == "Alma Verhoeven" and entity.label == "PERSON"
    assert [suggestion.spans[i] for i in entity.mentions] == verhoeven


def test_the_praised_person_is_positive_and_the_condemned_one_negative(predict):
    text = (
        "Mayor Alma Verhoeven was praised by residents for her brilliant, generous and honest leadership. "
        "Everyone loves her wonderful new parks. "
        "Senator Boris Kettle was condemned as corrupt, cruel and dishonest. "
        "Critics said Kettle lied and caused a terrible, shameful disaster."
    )

    entities = {entity.name: entity for entity in predict(text).entities}

    assert entities["Alma Verhoeven"].sentiment > 0.5
    assert entities["Boris Kettle"].sentiment < -0.5
    assert len(entities["Boris Kettle"].mentions) == 2


def test_the_version_names_the_installed_model(nlp):
    assert nlp.meta["version"] == MODEL_VERSION
    assert SpacyEntityPredictor.version.startswith(f"en_core_web_sm-{MODEL_VERSION}")


def test_one_suggestion_per_text_in_order(nlp):
    texts = ["Alma Verhoeven spoke.", "", "Boris Kettle left Valdoria."]

    suggestions = SpacyEntityPredictor().predict(texts, PredictionContext())

    assert [[span.text for span in suggestion.spans] for suggestion in suggestions] == [
        ["Alma Verhoeven"], [], ["Boris Kettle", "Valdoria"]]
