"""Entities and entity sentiment as learnable kinds: trained on a project's gold spans (train
side only), measured on held-out gold, and the live entity version suggesting spans."""

import pytest

from annotations.gold import gold_accept
from annotations.models import GoldSplit, ModelVersion, Prediction
from annotations.preannotation.learning.versions import model_version_create
from annotations.preannotation.learning.versions import model_version_promote as promote
from annotations.preannotation.runs import preannotation_enqueue
from annotations.validation import SpanInput
from tests import factories

from .conftest import ENTITY_TYPES, NER_HELD_OUT, NER_TRAIN, SENTIMENT_TRAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = factories.ProjectFactory(schema=False)
    for name in ENTITY_TYPES:
        project.entity_types.create(name=name)
    return project


def _gold(project, text, spans, side):
    item = factories.ItemFactory(project=project, gold_split=side, article=factories.ArticleFactory(body=text))
    gold_accept(item=item, reviewer=None, spans=[SpanInput(start, end, label, text[start:end], sentiment)
                                                 for start, end, label, sentiment in spans])
    return item


def _train(project, kind, capture, **settings):
    with capture(execute=True):
        version = model_version_create(project=project, kind=kind, settings=settings)
    version.refresh_from_db()
    return version


def test_an_entity_version_trains_on_train_side_spans_and_suggests_the_projects_types(
        project, django_capture_on_commit_callbacks):
    train = [_gold(project, text, [(*span, "") for span in spans], GoldSplit.TRAIN) for text, spans in NER_TRAIN]
    held_out = [_gold(project, text, [(*span, "") for span in spans], GoldSplit.HELD_OUT)
                for text, spans in NER_HELD_OUT]
    project.predictors.create(kind="project-ner")

    version = _train(project, "ner", django_capture_on_commit_callbacks, epochs=20, max_seconds=60)

    assert version.status == ModelVersion.Status.DONE, version.error
    assert sorted(version.trained_on) == sorted(item.pk for item in train)
    assert sorted(version.held_out_on) == sorted(item.pk for item in held_out)
    assert version.held_out_count == len(NER_HELD_OUT)
    assert set(version.figures["per_label"]) == set(ENTITY_TYPES) and version.score == version.figures["f1"]
    baseline = version.figures["baseline"]
    assert baseline["predictor"] == "spacy-ner" and baseline["n_items"] == len(NER_HELD_OUT)
    assert version.comparison["baseline_score"] == baseline["f1"]
    assert version.live == (version.score > baseline["f1"])
    if not version.live:
        promote(version=version)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="Liverpool beat Chelsea 3-1 at Anfield on Sunday."))
    with django_capture_on_commit_callbacks(execute=True):
        preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    prediction = Prediction.objects.get(item=item, predictor="project-ner")
    assert prediction.version == "model-v1"
    assert {span["label"] for span in prediction.labels["spans"]} <= set(ENTITY_TYPES)


def test_an_entity_sentiment_version_is_measured_beside_sentence_vader(project, django_capture_on_commit_callbacks):
    project.entity_sentiment = True
    project.save()
    by_text = {}
    for text, (start, end), label in SENTIMENT_TRAIN:
        by_text.setdefault(text, []).append((start, end, "ORG", label))
    for number, (text, spans) in enumerate(by_text.items()):
        _gold(project, text, spans, GoldSplit.HELD_OUT if number % 5 == 4 else GoldSplit.TRAIN)

    version = _train(project, "entity-sentiment", django_capture_on_commit_callbacks)

    assert version.status == ModelVersion.Status.DONE, version.error
    assert not set(version.trained_on) & set(version.held_out_on)
    assert version.held_out_count == len(by_text) // 5  # items, though each holds two mentions
    assert version.figures["n_items"] == 2 * version.held_out_count
    assert version.figures["baseline"]["predictor"] == "sentence-vader"
    assert version.score == version.figures["macro_f1"]
