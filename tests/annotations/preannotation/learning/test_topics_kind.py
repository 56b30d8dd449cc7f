"""Topic classifiers train only as model versions of the ``topics`` kind: on the train side of the
gold, calibrated and measured on the held-out side, suggesting at their calibrated thresholds;
a classifier from before model versions serves until a topics version goes live."""

import pytest
from django.core.files.base import ContentFile

from annotations.gold import gold_accept
from annotations.models import GoldSplit, ModelVersion, Prediction, TopicClassifier
from annotations.preannotation.calibration import MIN_CALIBRATION_POSITIVES
from annotations.preannotation.learning.kinds import kind_get
from annotations.preannotation.learning.schedule import model_versions_due
from annotations.preannotation.learning.versions import model_version_create, model_version_load
from annotations.preannotation.predictors import registry
from annotations.preannotation.predictors.topics import train_topic_classifier
from annotations.preannotation.quality import predictor_quality_report
from annotations.preannotation.runs import preannotation_enqueue
from tests import factories

pytestmark = pytest.mark.django_db

ECONOMY = ["Prices rose again as the central bank weighed another rate rise and shops raised fees.",
           "Inflation hit wages and the bank said the budget deficit would widen this year.",
           "Factories cut jobs after exports fell and the currency slid against the dollar."]
POLITICS = ["The minister resigned after parliament voted against the government's reform bill.",
            "Opposition parties called for a new election as the coalition split over the law.",
            "The council passed the mayor's plan after a long debate between the parties."]
TRAIN, HELD_OUT = GoldSplit.TRAIN, GoldSplit.HELD_OUT


@pytest.fixture(autouse=True)
def fresh_legacy_cache():
    """Legacy classifiers are cached by id, and a rolled-back test may hand its ids on."""
    registry._trained_topic_predictor.cache_clear()
    yield
    registry._trained_topic_predictor.cache_clear()


def _gold_items(project, count, *, side, word="", economy_share=0.5):
    """``count`` items with accepted gold on ``side`` of the split, on Economy or Politics;
    ``word`` is put in every text."""
    topics = {t.name: t.pk for t in project.topics.all()}
    reviewer = factories.member(project, "reviewer")
    items = []
    for n in range(count):
        economy = n < count * economy_share
        text = f"{(ECONOMY if economy else POLITICS)[n % 3]} Report {n} {word}."
        item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=text), gold_split=side)
        gold_accept(item=item, reviewer=reviewer, topics=[topics["Economy" if economy else "Politics"]])
        items.append(item)
    return items


@pytest.fixture
def project():
    project = factories.ProjectFactory()
    project.predictors.create(kind="topics")
    return project


@pytest.fixture
def train(django_capture_on_commit_callbacks):
    """A topics version trained as the API starts one (eager Celery, when the request commits)."""
    def create(project):
        with django_capture_on_commit_callbacks(execute=True):
            version = model_version_create(project=project, kind="topics")
        version.refresh_from_db()
        assert version.status == ModelVersion.Status.DONE, version.error
        return version
    return create


def _ids(items):
    return sorted(item.pk for item in items)


def test_a_topics_version_is_trained_on_train_side_gold_only_and_records_both_sides(project, train):
    train_items = _gold_items(project, 30, side=TRAIN, word="quillbrook")
    held_out = _gold_items(project, 10, side=HELD_OUT, word="zanzibarite")

    version = train(project)

    assert sorted(version.trained_on) == _ids(train_items)
    assert sorted(version.held_out_on) == _ids(held_out) and version.held_out_count == 10
    vocabulary = model_version_load(version).model.vectorizer.vocabulary_
    assert "quillbrook" in vocabulary and "zanzibarite" not in vocabulary  # no held-out text was fitted
    assert version.figures["n_items"] == 10 and version.score > 0.5 and version.live


def test_thresholds_are_calibrated_on_held_out_gold_by_topic_id(project, train):
    economy, politics, elections = (project.topics.get(name=name).pk for name in ("Economy", "Politics", "Elections"))
    _gold_items(project, 30, side=TRAIN)
    # Enough held-out Politics to calibrate it, too few Economy.
    _gold_items(project, MIN_CALIBRATION_POSITIVES + 4, side=HELD_OUT, economy_share=0.3)

    version = train(project)

    thresholds = model_version_load(version).thresholds
    assert 0 < thresholds[politics] <= 1 and thresholds.get(economy) is None and thresholds.get(elections) is None
    per_label = version.figures["per_label"]
    assert per_label["Economy"]["support"] == 3 and per_label["Politics"]["support"] == 6


def test_beat_trains_topics_again_when_gold_is_accepted_again_on_a_trained_item(
        project, train, settings, django_capture_on_commit_callbacks):
    settings.MODEL_RETRAIN_MIN_NEW_GOLD = 1
    first, *_ = _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)
    train(project)
    assert [v for v in model_versions_due() if v.kind == "topics"] == []  # nothing new since

    gold_accept(item=first, reviewer=None, topics=[project.topics.get(name="Politics").pk])  # new labels

    with django_capture_on_commit_callbacks(execute=True):
        [again] = [v for v in model_versions_due() if v.kind == "topics"]
    assert again.version == 2


def _rewrite_thresholds(version, thresholds):
    """Store the version's model again with other thresholds (as calibration could have set them)."""
    kind = kind_get("topics")
    model = model_version_load(version)
    model.thresholds = thresholds
    version.artifact.save("rewritten.bin", ContentFile(kind.to_bytes(model)))


def _predicted_topics(project, items, callbacks):
    with callbacks(execute=True):  # batches are sent on commit
        preannotation_enqueue(project=project, items=project.items.filter(pk__in=[item.pk for item in items]))
    return {prediction.item_id: prediction for prediction in Prediction.objects.filter(
        item__in=items, version__startswith="model-v")}


def test_a_live_version_suggests_exactly_the_topics_at_or_above_its_thresholds(
        project, train, django_capture_on_commit_callbacks):
    economy, politics = project.topics.get(name="Economy").pk, project.topics.get(name="Politics").pk
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)
    version = train(project)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="The central bank raised rates as the minister's reform bill split parliament."))
    [scores] = model_version_load(version).scores([item.article.body])
    # Politics exactly at its score (suggested), Economy a hair above its score (not suggested).
    _rewrite_thresholds(version, {politics: scores[politics], economy: scores[economy] + 0.0001})

    prediction = _predicted_topics(project, [item], django_capture_on_commit_callbacks)[item.pk]

    assert prediction.version == "model-v1"
    assert [topic["id"] for topic in prediction.labels["topics"]] == [politics]


def test_without_calibration_at_most_the_top_topic_is_suggested(project, train, django_capture_on_commit_callbacks):
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 2, side=HELD_OUT)  # too few to calibrate any topic
    version = train(project)
    assert not any(model_version_load(version).thresholds.values())
    mixed = [factories.ItemFactory(project=project, article=factories.ArticleFactory(body=f"{e} {p}"))
             for e, p in zip(ECONOMY, POLITICS)]

    predictions = _predicted_topics(project, mixed, django_capture_on_commit_callbacks)

    assert len(predictions) == 3
    for prediction in predictions.values():
        probabilities = sorted(prediction.scores["topics"].values(), reverse=True)
        assert probabilities[1] >= 0.2  # the old 0.2 / top-3 rule suggested two topics or more here
        assert len(prediction.labels["topics"]) <= 1


def test_a_classifier_from_before_model_versions_serves_until_a_topics_version_is_live(
        project, train, django_capture_on_commit_callbacks):
    texts = ECONOMY * 4 + POLITICS * 4
    legacy = train_topic_classifier(texts, [{"Economy"}] * 12 + [{"Politics"}] * 12)
    TopicClassifier.objects.create(project=project, version=1, gold_count=24, holdout_count=0, model=legacy.to_bytes())
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="The central bank raised rates as prices and inflation kept rising."))
    with django_capture_on_commit_callbacks(execute=True):
        preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)

    train(project)
    with django_capture_on_commit_callbacks(execute=True):
        preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))

    versions = dict(Prediction.objects.filter(item=item).values_list("version", "labels"))
    assert set(versions) == {"gold-v1", "model-v1"}  # the older suggestions stay beside the new
    assert [topic["name"] for topic in versions["model-v1"]["topics"]] == ["Economy"]


def test_the_quality_report_scores_a_topics_version_only_on_held_out_gold(
        project, train, django_capture_on_commit_callbacks):
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)
    version = train(project)
    assert len(_predicted_topics(project, list(project.items.all()), django_capture_on_commit_callbacks)) == 40
    counts = version.figures["counts"]

    [row] = [row for row in predictor_quality_report(project=project) if row["version"] == "model-v1"]

    # Its 30 training items are not scored; its 10 calibration items count with the decisions
    # made for them at training (each without its own label).
    assert (row["items"], row["topic_items"]) == (10, 10)
    assert row["topic_precision"] == pytest.approx(counts["matched"] / counts["suggested"])
