"""When training runs by itself: beat starts a version of a kind once enough new train-side gold
came in since its last version; the sweep resends lost trainings and gives up on ones that keep
dying."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.gold import gold_accept
from annotations.models import GoldSplit, ModelVersion
from annotations.preannotation.learning.schedule import model_versions_due, model_versions_sweep
from tests import factories

from .gold import sentiment_gold

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(settings):
    settings.MODEL_RETRAIN_MIN_NEW_GOLD = 5
    project = factories.ProjectFactory()
    sentiment_gold(project)
    return project


SENTENCES = {"positive": "Exports hit a strong record as investors praised the plan",
             "negative": "Exports collapsed with heavy losses and anger among investors"}


def _more_gold(project, count, *, side=GoldSplit.TRAIN, sentiment="positive"):
    reviewer = factories.member(project, "reviewer")
    for n in range(count):
        item = factories.ItemFactory(project=project, gold_split=side, article=factories.ArticleFactory(
            body=f"{SENTENCES[sentiment]}, report {n}."))
        gold_accept(item=item, reviewer=reviewer, sentiment=sentiment)


def test_beat_trains_each_kind_with_enough_new_gold_then_waits_for_more(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = model_versions_due()
    assert sorted(version.kind for version in first) == ["sentiment", "topics"]
    assert {version.trigger for version in first} == {"new-gold"}

    _more_gold(project, 4)  # below the 5 new items asked for
    _more_gold(project, 3, side=GoldSplit.HELD_OUT)  # held-out gold never counts as new training gold
    assert model_versions_due() == []

    _more_gold(project, 1)  # 5 new train-side items with a sentiment (none has a topic)
    with django_capture_on_commit_callbacks(execute=True):
        [second] = model_versions_due()
    assert (second.kind, second.version) == ("sentiment", 2)


def test_beat_skips_a_kind_already_training(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        model_versions_due()  # pending, not sent
    assert model_versions_due() == []


def test_the_sweep_resends_pending_versions_whose_message_was_lost(project, settings,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the message never left
        [_, version] = model_versions_due()
    settings.MODEL_TRAINING_REQUEUE_AFTER = 0

    assert version.pk in model_versions_sweep()  # eager: trained on the spot
    assert ModelVersion.objects.get(pk=version.pk).status == "done"


def test_the_sweep_gives_up_on_a_training_that_keeps_dying(project, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [version, _] = model_versions_due()
    settings.MODEL_TRAINING_MAX_ATTEMPTS = 2
    ModelVersion.objects.filter(pk=version.pk).update(status="training", attempts=2,
                                                      started_at=timezone.now() - timedelta(days=1))

    assert version.pk not in model_versions_sweep()
    version.refresh_from_db()
    assert version.status == "failed" and "interrupted" in version.error and not version.live


def test_after_a_failed_version_only_gold_accepted_since_counts(settings, django_capture_on_commit_callbacks):
    settings.MODEL_RETRAIN_MIN_NEW_GOLD = 5
    project = factories.ProjectFactory()
    _more_gold(project, 6)  # train side only: nothing to measure a version on
    with django_capture_on_commit_callbacks(execute=True):
        [failed] = model_versions_due()
    assert ModelVersion.objects.get(pk=failed.pk).status == "failed"
    assert model_versions_due() == []  # the same gold would fail again

    _more_gold(project, 2, side=GoldSplit.HELD_OUT)
    _more_gold(project, 2, side=GoldSplit.HELD_OUT, sentiment="negative")
    _more_gold(project, 5, sentiment="negative")
    with django_capture_on_commit_callbacks(execute=True):
        [retried] = model_versions_due()
    assert (retried.kind, retried.version) == ("sentiment", 2)
    assert ModelVersion.objects.get(pk=retried.pk).status == "done"
