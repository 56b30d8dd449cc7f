"""Topic classifiers are trained on the train side of a project's gold only, calibrated and
measured on the held-out side, and take over topic suggestions at their calibrated thresholds."""

import pytest

from annotations.gold import gold_accept
from annotations.models import GoldSplit, Prediction, TopicClassifier
from annotations.preannotation.calibration import MIN_CALIBRATION_POSITIVES
from annotations.preannotation.predictors import registry
from annotations.preannotation.predictors.topics import TrainedTopicModel
from annotations.preannotation.quality import predictor_quality_report
from annotations.preannotation.runs import preannotation_enqueue
from annotations.preannotation.training import topic_classifier_train, topic_classifiers_train
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
def fresh_predictor_cache():
    """Trained predictors are cached by classifier id, and a rolled-back test may hand its ids on."""
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
def project(settings):
    settings.TOPIC_CLASSIFIER_MIN_GOLD = 20
    project = factories.ProjectFactory()
    project.predictors.create(kind="topics")
    return project


def test_no_classifier_below_the_train_side_gold_threshold(project):
    _gold_items(project, 15, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)  # 25 gold, but only 15 to train on

    assert topic_classifier_train(project=project) is None


def test_a_classifier_is_trained_only_on_train_side_gold_and_records_it(project):
    train = _gold_items(project, 30, side=TRAIN, word="quillbrook")
    held_out = _gold_items(project, 10, side=HELD_OUT, word="zanzibarite")

    [classifier] = topic_classifiers_train()

    assert sorted(classifier.trained_on) == sorted(item.pk for item in train)
    assert not set(classifier.trained_on) & {item.pk for item in held_out}
    assert (classifier.version, classifier.gold_count, classifier.holdout_count) == (1, 40, 10)
    vocabulary = TrainedTopicModel.from_bytes(bytes(classifier.model)).vectorizer.vocabulary_
    assert "quillbrook" in vocabulary and "zanzibarite" not in vocabulary  # no held-out text was fitted
    assert classifier.metrics["held_out"]["calibrated_on"] == sorted(item.pk for item in held_out)
    assert classifier.metrics["held_out"]["items"] == 10 and classifier.micro_f1 > 0.5


def test_retraining_counts_train_side_gold_only(project):
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)
    assert topic_classifier_train(project=project).version == 1

    _gold_items(project, 3, side=HELD_OUT)
    assert topic_classifiers_train() == []  # no new gold to train on

    _gold_items(project, 2, side=TRAIN)
    assert topic_classifier_train(project=project).version == 2


def test_gold_accepted_again_on_a_trained_item_is_retrained_on(project):
    first, *_ = _gold_items(project, 30, side=TRAIN)
    assert topic_classifier_train(project=project).version == 1

    gold_accept(item=first, reviewer=None, topics=[project.topics.get(name="Politics").pk])  # a new gold version

    assert topic_classifier_train(project=project).version == 2


def test_thresholds_are_calibrated_on_held_out_gold_and_stored_by_topic_id(project):
    economy, politics, elections = (project.topics.get(name=name).pk for name in ("Economy", "Politics", "Elections"))
    _gold_items(project, 30, side=TRAIN)
    # Enough held-out Politics to calibrate it, too few Economy.
    _gold_items(project, MIN_CALIBRATION_POSITIVES + 4, side=HELD_OUT, economy_share=0.3)

    classifier = topic_classifier_train(project=project)

    assert set(classifier.thresholds) == {str(politics)}
    assert 0 < classifier.thresholds[str(politics)] <= 1
    figures = classifier.metrics["held_out"]
    assert figures["topics"][str(economy)]["positives"] == 3 and figures["topics"][str(politics)]["positives"] == 6
    assert str(elections) not in figures["topics"]  # neither gold nor suggested on held-out items
    assert classifier.metrics["train"]["positives"] == {str(economy): 15, str(politics): 15}
    assert figures["micro_precision"] is not None and classifier.subset_accuracy is not None


def _predicted_topics(project, items):
    preannotation_enqueue(project=project, items=project.items.filter(pk__in=[item.pk for item in items]))
    return {prediction.item_id: prediction for prediction in Prediction.objects.filter(
        item__in=items, version__startswith="gold-v")}


@pytest.mark.django_db(transaction=True)  # batches are sent on commit
def test_the_trained_classifier_suggests_exactly_the_topics_at_or_above_its_thresholds(project):
    economy, politics = project.topics.get(name="Economy").pk, project.topics.get(name="Politics").pk
    _gold_items(project, 30, side=TRAIN)
    classifier = topic_classifier_train(project=project)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="The central bank raised rates as the minister's reform bill split parliament."))
    [scores] = TrainedTopicModel.from_bytes(bytes(classifier.model)).probabilities([item.article.body])
    # Politics exactly at its score (suggested), Economy a hair above its score (not suggested).
    TopicClassifier.objects.filter(pk=classifier.pk).update(
        thresholds={str(politics): scores["Politics"], str(economy): scores["Economy"] + 0.0001})

    prediction = _predicted_topics(project, [item])[item.pk]

    assert prediction.version == "gold-v1"
    assert [topic["id"] for topic in prediction.labels["topics"]] == [politics]


@pytest.mark.django_db(transaction=True)
def test_without_calibration_at_most_the_top_topic_is_suggested(project):
    _gold_items(project, 30, side=TRAIN)
    classifier = topic_classifier_train(project=project)  # nothing held out: nothing calibrated
    assert classifier.thresholds == {}
    mixed = [factories.ItemFactory(project=project, article=factories.ArticleFactory(body=f"{e} {p}"))
             for e, p in zip(ECONOMY, POLITICS)]

    predictions = _predicted_topics(project, mixed)

    assert len(predictions) == 3
    for prediction in predictions.values():
        probabilities = sorted(prediction.scores["topics"].values(), reverse=True)
        assert probabilities[1] >= 0.2  # the old 0.2 / top-3 rule suggested two topics or more here
        assert len(prediction.labels["topics"]) <= 1
        if prediction.labels["topics"]:
            assert prediction.labels["topics"][0]["score"] == probabilities[0]


@pytest.mark.django_db(transaction=True)
def test_the_trained_classifier_takes_over_and_old_suggestions_stay(project):
    _gold_items(project, 30, side=TRAIN)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="The central bank raised rates as prices and inflation kept rising."))
    preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    topic_classifier_train(project=project)
    preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    versions = dict(Prediction.objects.filter(item=item).values_list("version", "labels"))
    assert set(versions) == {"1", "gold-v1"}
    assert [topic["name"] for topic in versions["gold-v1"]["topics"]] == ["Economy"]
    assert TopicClassifier.objects.filter(project=project).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_quality_report_scores_a_version_only_on_held_out_gold_it_never_saw(project):
    _gold_items(project, 30, side=TRAIN)
    _gold_items(project, 10, side=HELD_OUT)
    classifier = topic_classifier_train(project=project)
    assert len(_predicted_topics(project, list(project.items.all()))) == 40  # it suggests on every item
    measured = classifier.metrics["held_out"]

    [row] = [row for row in predictor_quality_report(project=project) if row["version"] == "gold-v1"]

    # Its 30 training items are not scored, its 10 calibration items count with the decisions
    # made for them at training (each without its own label).
    assert (row["items"], row["topic_items"]) == (10, 10)
    assert row["topic_precision"] == pytest.approx(measured["matched"] / measured["suggested"])

    [later] = _gold_items(project, 1, side=HELD_OUT, word="afterwards")
    _predicted_topics(project, [later])
    [row] = [row for row in predictor_quality_report(project=project) if row["version"] == "gold-v1"]
    assert row["items"] == 11  # held-out gold it never saw, with its stored suggestion
