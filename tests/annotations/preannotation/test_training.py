"""Topic classifiers trained on a project's gold take over topic suggestions, versioned."""

import pytest

from annotations.models import Gold, Prediction, TopicClassifier
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


def _gold_items(project, count):
    topics = {t.name: t.pk for t in project.topics.all()}
    reviewer = factories.member(project, "reviewer")
    for n in range(count):
        economy = n % 2 == 0
        text = (ECONOMY if economy else POLITICS)[n % 3] + f" Report {n}."
        item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body=text))
        Gold.objects.create(item=item, version=1, reviewer=reviewer, topics=[topics["Economy" if economy else "Politics"]])


def test_no_classifier_below_the_gold_threshold(settings):
    settings.TOPIC_CLASSIFIER_MIN_GOLD = 20
    project = factories.ProjectFactory()
    _gold_items(project, 10)
    assert topic_classifier_train(project=project) is None


def test_classifier_is_trained_versioned_and_measured_on_held_back_gold(settings):
    settings.TOPIC_CLASSIFIER_MIN_GOLD = 20
    project = factories.ProjectFactory()
    project.predictors.create(kind="topics")
    _gold_items(project, 30)
    [classifier] = topic_classifiers_train()
    assert (classifier.version, classifier.gold_count) == (1, 30)
    assert classifier.holdout_count > 0 and classifier.micro_f1 > 0.5
    assert topic_classifiers_train() == []  # no new gold, nothing to retrain
    _gold_items(project, 2)
    assert topic_classifier_train(project=project).version == 2


@pytest.mark.django_db(transaction=True)  # batches are sent on commit
def test_the_trained_classifier_takes_over_and_old_suggestions_stay(settings):
    settings.TOPIC_CLASSIFIER_MIN_GOLD = 20
    project = factories.ProjectFactory()
    project.predictors.create(kind="topics")
    _gold_items(project, 30)
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="The central bank raised rates as prices and inflation kept rising."))
    preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    topic_classifier_train(project=project)
    preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))
    versions = dict(Prediction.objects.filter(item=item).values_list("version", "labels"))
    assert set(versions) == {"1", "gold-v1"}
    assert versions["gold-v1"]["topics"][0]["name"] == "Economy"
    assert TopicClassifier.objects.filter(project=project).count() == 1
