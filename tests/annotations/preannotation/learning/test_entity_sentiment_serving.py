"""A live entity-sentiment version, really trained on conftest's tiny gold, giving the sentiment
toward each entity the entity predictors suggest (``project-entity-sentiment``)."""

import pytest

from annotations.gold import gold_accept
from annotations.models import GoldSplit, ModelVersion, Prediction
from annotations.preannotation.learning.entities import TrainedEntityPredictor
from annotations.preannotation.learning.entity_sentiment_serving import LiveEntitySentiment
from annotations.preannotation.learning.versions import model_version_create
from annotations.preannotation.predictors.base import EntitySuggestion, PredictionContext, SpanSuggestion, Suggestions
from annotations.preannotation.predictors.mapping import ProjectSchema, suggestions_to_labels
from annotations.preannotation.predictors.spacy_ner import SpacyEntityPredictor
from annotations.preannotation.runs import preannotation_enqueue
from annotations.preannotation.suggestions import item_suggestions, latest_predictions
from annotations.validation import SpanInput
from tests import factories

from .conftest import SCALE, SENTIMENT_TRAIN

# Two entities of one sentence: sentence VADER gives both its (neutral) tone; the trained model
# reads "beat" before Juventus and after Milan.
BODY = "Milan beat Juventus on Sunday."


@pytest.fixture
def project(db):
    project = factories.ProjectFactory(entity_sentiment=True, sentiment_scale=SCALE)  # PERSON, ORG, GPE
    project.predictors.create(kind="spacy-ner")
    return project


def _train_entity_sentiment(project, capture) -> ModelVersion:
    """A version trained on SENTIMENT_TRAIN as gold ORG spans, one item in five held out."""
    by_text = {}
    for text, (start, end), label in SENTIMENT_TRAIN:
        by_text.setdefault(text, []).append(SpanInput(start, end, "ORG", text[start:end], label))
    for number, (text, spans) in enumerate(by_text.items()):
        item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=text),
                                     gold_split=GoldSplit.HELD_OUT if number % 5 == 4 else GoldSplit.TRAIN)
        gold_accept(item=item, reviewer=None, spans=spans)
    with capture(execute=True):
        version = model_version_create(project=project, kind="entity-sentiment", settings={})
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.DONE and version.live, (version.error, version.comparison)
    return version


def _preannotate(project, item, capture) -> dict:
    """The item's entity-sentiment suggestions as the labeling page offers them, by entity text."""
    with capture(execute=True):
        preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    offered = item_suggestions(item=item, predictions=latest_predictions(item_id=item.pk))
    return {suggestion["text"]: suggestion for suggestion in offered["entity_sentiments"]}


def test_a_live_version_gives_two_entities_of_one_sentence_their_own_sentiment(
        project, django_capture_on_commit_callbacks):
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))
    before = _preannotate(project, item, django_capture_on_commit_callbacks)
    assert set(before) == {"Milan", "Juventus"}
    assert before["Milan"]["value"] == before["Juventus"]["value"]  # sentence VADER: one tone for both
    assert before["Milan"]["version"] == SpacyEntityPredictor.version

    version = _train_entity_sentiment(project, django_capture_on_commit_callbacks)
    after = _preannotate(project, item, django_capture_on_commit_callbacks)

    assert {text: suggestion["value"] for text, suggestion in after.items()} == {
        "Milan": "positive", "Juventus": "negative"}
    served = f"{SpacyEntityPredictor.version}+entity-sentiment-v{version.version}"
    assert {suggestion["version"] for suggestion in after.values()} == {served}
    stored = Prediction.objects.get(item=item, predictor="spacy-ner", version=served).labels
    assert [(entity["sentiment"], entity["polarity"]) for entity in stored["entities"]] == [
        ("positive", None), ("negative", None)]
    assert all(0 < entity["sentiment_score"] <= 1 for entity in stored["entities"])
    # The VADER prediction stays beside it, versioned as before.
    assert Prediction.objects.filter(item=item, predictor="spacy-ner", version=SpacyEntityPredictor.version).exists()


def test_without_a_live_version_the_entity_predictors_suggest_as_before(
        project, django_capture_on_commit_callbacks):
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=BODY))

    offered = _preannotate(project, item, django_capture_on_commit_callbacks)

    prediction = Prediction.objects.get(item=item, predictor="spacy-ner")
    assert prediction.version == SpacyEntityPredictor.version
    expected, _ = suggestions_to_labels(SpacyEntityPredictor().predict([BODY], PredictionContext())[0],
                                        schema=ProjectSchema.of(project), label_map={}, options={})
    assert prediction.labels == expected
    assert all("sentiment_score" not in entity and entity["polarity"] is not None
               for entity in prediction.labels["entities"])
    assert offered["Milan"]["value"] == offered["Juventus"]["value"]


def test_spans_without_entities_are_grouped_and_each_entity_labelled_from_its_mentions(sentiment_model):
    text = "Leeds beat Chelsea at home, and Chelsea accused the referee."
    spans = [SpanSuggestion(0, 5, "ORG", "Leeds"), SpanSuggestion(11, 18, "ORG", "Chelsea"),
             SpanSuggestion(32, 39, "ORG", "Chelsea")]
    live = LiveEntitySentiment(sentiment_model, "model-v3")

    suggestions = live.annotate(text, Suggestions(spans=spans))

    assert [(entity.name, entity.mentions) for entity in suggestions.entities] == [("Leeds", [0]),
                                                                                   ("Chelsea", [1, 2])]
    assert [span.entity for span in suggestions.spans] == [0, 1, 1]
    mention_labels = sentiment_model.predict([(text, (span.start, span.end)) for span in spans])
    assert suggestions.entities[0].sentiment_label == mention_labels[0][0] == "positive"
    assert suggestions.entities[1].sentiment_label == "negative"
    assert all(entity.sentiment is None and 0 < entity.sentiment_score <= 1 for entity in suggestions.entities)


def test_a_trained_entity_version_served_with_entity_sentiment_says_both_versions(ner_model, sentiment_model):
    served = LiveEntitySentiment(sentiment_model, "model-v3").served(TrainedEntityPredictor(ner_model, "model-v1"))

    suggestions = served.predict([BODY], PredictionContext())

    assert served.name == "project-ner" and served.version == "model-v1+entity-sentiment-v3"
    assert len(suggestions) == 1
    assert all(span.entity is not None for span in suggestions[0].spans)
    assert all(entity.sentiment_label in SCALE for entity in suggestions[0].entities)


def test_a_model_label_outside_the_projects_scale_falls_back_to_the_polarity():
    suggestions = Suggestions(spans=[SpanSuggestion(0, 5, "ORG", "Milan", entity=0)],
                              entities=[EntitySuggestion(name="Milan", label="ORG", mentions=[0], sentiment=0.6,
                                                         sentiment_label="glad", sentiment_score=0.9)])
    schema = ProjectSchema(entity_types=("ORG",), topic_ids={}, topic_names={}, sentiment_scale=tuple(SCALE))

    labels, _ = suggestions_to_labels(suggestions, schema=schema, label_map={}, options={})

    assert labels["entities"][0]["sentiment"] == "positive" and labels["entities"][0]["polarity"] == 0.6
