"""The live document-sentiment version scores how unsure it is of each item it pre-annotates:
what an uncertainty-ordered queue serves first."""

import pytest

from annotations.models import Prediction
from annotations.preannotation.learning.sentiment import margin_uncertainty
from annotations.preannotation.learning.versions import model_version_create
from annotations.preannotation.runs import preannotation_enqueue
from tests import factories

from .gold import sentiment_gold


@pytest.mark.parametrize(("probabilities", "expected"), [
    ([1.0, 0.0, 0.0], 0.0), ([0.5, 0.5, 0.0], 1.0), ([0.1, 0.6, 0.3], 0.7), ([0.8], 0.2)])
def test_margin_uncertainty_is_one_minus_the_gap_between_the_two_likeliest_labels(probabilities, expected):
    assert margin_uncertainty(probabilities) == pytest.approx(expected)


@pytest.mark.django_db
def test_the_live_sentiment_version_scores_each_item_it_pre_annotates(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    sentiment_gold(project)
    project.predictors.create(kind="project-sentiment")
    project.predictors.create(kind="vader-sentiment")  # a predictor that gives no uncertainty leaves the score alone
    with django_capture_on_commit_callbacks(execute=True):
        model_version_create(project=project, kind="sentiment")
    clear = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="Shares soared after strong record profits and praised growth; investors praised a strong record."))
    vague = factories.ItemFactory(project=project, article=factories.ArticleFactory(
        body="Rain fell on the valley while the river rose slowly."))

    with django_capture_on_commit_callbacks(execute=True):  # batches are sent on commit
        preannotation_enqueue(project=project, items=project.items.filter(pk__in=[clear.pk, vague.pk]))

    clear.refresh_from_db()
    vague.refresh_from_db()
    assert Prediction.objects.filter(item=vague, predictor="project-sentiment").exists()
    assert 0.0 <= clear.uncertainty < vague.uncertainty <= 1.0
