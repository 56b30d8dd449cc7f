"""Model versions: real training on a tiny gold set, held-out gold never trained on, promotion
only when better, a manager's promotion and roll-back, and the live version serving suggestions."""

import re

import pytest

from annotations.models import GoldSplit, ModelVersion, Prediction
from annotations.models.model_versions import predictor_version
from annotations.pages.dashboard import selectors as dashboard
from annotations.preannotation.learning.versions import (model_version_create, model_version_load,
                                                         model_version_promote, model_version_rollback,
                                                         model_version_train)
from annotations.preannotation.learning.sentiment import scale_polarity
from annotations.preannotation.predictors.base import PredictorError
from annotations.preannotation.predictors.mapping import sentiment_label
from annotations.preannotation.predictors.registry import project_predictors
from annotations.preannotation.quality import predictor_quality_report
from annotations.preannotation.runs import preannotation_enqueue
from newsroom.errors import Conflict, DomainError
from tests import factories

from .gold import sentiment_gold

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return factories.ProjectFactory()


@pytest.fixture
def gold(project):
    return sentiment_gold(project)


@pytest.fixture
def train(django_capture_on_commit_callbacks):
    """Create a version as the API does; its training (eager Celery) runs when the request commits."""
    def create(project, kind="sentiment", **options):
        with django_capture_on_commit_callbacks(execute=True):
            version = model_version_create(project=project, kind=kind, **options)
        version.refresh_from_db()
        return version
    return create


def _words(items) -> set[str]:
    return {word for item in items for word in re.findall(r"\w\w+", item.article.body.lower())}


def _ids(items):
    return sorted(item.pk for item in items)


def test_a_sentiment_version_trains_on_the_train_side_only_and_is_measured_on_held_out_gold(project, gold, train):
    version = train(project, "sentiment")

    version.refresh_from_db()
    assert version.status == ModelVersion.Status.DONE, version.error
    assert sorted(version.trained_on) == _ids(gold[GoldSplit.TRAIN])
    assert sorted(version.held_out_on) == _ids(gold[GoldSplit.HELD_OUT])
    assert not set(version.trained_on) & set(version.held_out_on)
    figures = version.figures
    assert figures["n_items"] == version.held_out_count == 6
    assert set(figures["per_label"]) == {"negative", "neutral", "positive"}
    assert {"p", "r", "f1", "support"} <= set(figures["per_label"]["positive"])
    assert version.score == figures["macro_f1"] and figures["accuracy"] is not None
    assert figures["baseline"]["predictor"] == "vader-sentiment" and figures["baseline"]["n_items"] == 6
    assert version.live and version.promotion == ModelVersion.Promotion.PROMOTED  # nothing was live
    assert version.comparison["live_version"] is None and version.duration_seconds > 0
    model = model_version_load(version)
    vocabulary = set(model.vectorizer.vocabulary_)
    held_out_only = _words(gold[GoldSplit.HELD_OUT]) - _words(gold[GoldSplit.TRAIN])
    assert held_out_only and not held_out_only & vocabulary  # no held-out text was fitted
    assert _words(gold[GoldSplit.TRAIN]) & vocabulary


def test_a_version_that_does_not_beat_the_live_one_is_kept_not_promoted(project, gold, train):
    first = train(project, "sentiment")
    weaker = train(project, "sentiment", settings={"train_limit": 6})

    first.refresh_from_db()
    weaker.refresh_from_db()
    assert weaker.status == ModelVersion.Status.DONE, weaker.error
    assert len(weaker.trained_on) == 6
    assert first.live and not weaker.live
    assert weaker.promotion == ModelVersion.Promotion.NOT_PROMOTED
    assert weaker.comparison == {"live_version": 1, "live_score": first.score, "score": weaker.score,
                                 "items": 6, "better": False}
    assert weaker.score <= first.score


def test_a_manager_promotes_any_version_and_rolls_back(project, gold, train):
    first = train(project, "sentiment")
    second = train(project, "sentiment", settings={"train_limit": 6})

    model_version_promote(version=second)
    assert ModelVersion.objects.get(live=True, project=project).pk == second.pk
    assert ModelVersion.objects.get(pk=second.pk).promotion == ModelVersion.Promotion.MANUAL

    back = model_version_rollback(project=project, kind="sentiment")
    assert back.pk == first.pk and back.live
    assert ModelVersion.objects.filter(project=project, live=True).count() == 1


def test_one_training_per_project_and_kind(project, gold, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        model_version_create(project=project, kind="sentiment")  # pending: its training not yet sent
    with pytest.raises(Conflict):
        model_version_create(project=project, kind="sentiment")
    model_version_create(project=project, kind="topics")  # another kind may train meanwhile


def test_an_unknown_kind_is_refused(project):
    with pytest.raises(DomainError, match="Unknown model kind"):
        model_version_create(project=project, kind="astrology")


def test_too_little_gold_fails_the_version_with_the_reason(project, train):
    version = train(project, "sentiment")

    version.refresh_from_db()
    assert version.status == ModelVersion.Status.FAILED and not version.live
    assert "held-out" in version.error and not version.artifact


def test_training_twice_does_nothing_the_second_time(project, gold, train):
    version = train(project, "sentiment")

    assert model_version_train(version_id=version.pk) is None
    assert ModelVersion.objects.get(pk=version.pk).attempts == 1


def test_topics_come_under_the_same_rules(project, gold, train):
    version = train(project, "topics")

    version.refresh_from_db()
    assert version.status == ModelVersion.Status.DONE, version.error
    assert sorted(version.trained_on) == _ids(gold[GoldSplit.TRAIN])
    assert version.figures["n_items"] == 6 and version.score == version.figures["micro_f1"]
    assert set(version.figures["per_label"]) <= {"Economy", "Politics"}


def test_the_live_sentiment_version_serves_suggestions_through_the_pipeline(
        project, gold, train, django_capture_on_commit_callbacks):
    project.predictors.create(kind="project-sentiment")
    version = train(project, "sentiment")
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="Shares soared as profits hit a record and investors praised a strong year."))

    with django_capture_on_commit_callbacks(execute=True):  # batches are sent on commit
        preannotation_enqueue(project=project, items=project.items.filter(pk=item.pk))

    prediction = Prediction.objects.get(item=item, predictor="project-sentiment")
    assert prediction.version == version.predictor_version == "model-v1"
    assert prediction.labels["sentiment"]["label"] == "positive"


def test_without_a_live_version_the_project_predictor_says_so(project):
    project.predictors.create(kind="project-sentiment")

    with pytest.raises(PredictorError, match="No live sentiment model"):
        project_predictors(project=project)


@pytest.mark.parametrize("scale", [["neg", "pos"], ["bad", "meh", "good"], ["--", "-", "+", "++"],
                                   ["--", "-", "0", "+", "++"]])
def test_a_label_served_as_a_polarity_maps_back_onto_the_same_label(scale):
    assert [sentiment_label(scale_polarity(label, scale), tuple(scale)) for label in scale] == scale


def test_the_quality_report_measures_a_live_version_on_held_out_gold_only(
        project, gold, train, django_capture_on_commit_callbacks):
    project.predictors.create(kind="project-sentiment")
    train(project, "sentiment")
    with django_capture_on_commit_callbacks(execute=True):
        preannotation_enqueue(project=project)  # every item, train side included

    [row] = [row for row in predictor_quality_report(project=project) if row["predictor"] == "project-sentiment"]
    assert (row["version"], row["sentiment_items"]) == ("model-v1", len(gold[GoldSplit.HELD_OUT]))


def test_a_done_version_marks_the_stored_predictor_quality_stale_and_then_has_its_row(project, gold, train):
    assert dashboard.predictor_quality(project=project) == []  # no worker: refreshed on reading
    assert project.agreement.stale_since is None

    version = train(project, "sentiment")

    project.agreement.refresh_from_db()
    assert project.agreement.stale_since is not None
    rows = {(row["predictor"], row["version"]) for row in dashboard.predictor_quality(project=project)}
    assert rows == {("project-sentiment", predictor_version(version.version))}


def test_a_live_topics_version_takes_over_topic_suggestions(project, gold, train):
    project.predictors.create(kind="topics")
    version = train(project, "topics")

    [configured] = project_predictors(project=project)
    assert configured.version == version.predictor_version == "model-v1"
    assert "topic_thresholds" in configured.options  # suggested at its held-out-calibrated thresholds
