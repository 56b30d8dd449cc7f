"""Model versions in the admin: trainings started from the project list, versions with their
held-out figures, promotion and roll-back as actions."""

import pytest
from django.urls import reverse

from annotations.models import ModelVersion, Project
from tests import factories

from .gold import sentiment_gold

pytestmark = pytest.mark.django_db


def _train(admin_client, project, capture):
    with capture(execute=True):
        response = admin_client.post(reverse("admin:annotations_project_changelist"),
                                     {"action": "train_models", "_selected_action": [project.pk]}, follow=True)
    assert response.status_code == 200
    return response


def test_versions_trained_from_the_admin_are_listed_with_figures_promoted_and_rolled_back(
        admin_client, django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    sentiment_gold(project)
    _train(admin_client, project, django_capture_on_commit_callbacks)
    _train(admin_client, project, django_capture_on_commit_callbacks)
    assert ModelVersion.objects.filter(project=project, status="done").count() == 4  # topics and sentiment, twice
    assert set(ModelVersion.objects.filter(status="failed").values_list("kind", flat=True)) == {
        "ner", "entity-sentiment"}  # this gold has no spans
    first, second = ModelVersion.objects.filter(project=project, kind="sentiment").order_by("version")
    assert first.live and not second.live  # the same gold: the second is no better

    changelist = reverse("admin:annotations_modelversion_changelist")
    assert admin_client.get(changelist).context["cl"].result_count == 8
    page = admin_client.get(reverse("admin:annotations_modelversion_change", args=[second.pk])).content.decode()
    assert "per label, on held-out gold" in page.lower() and "vader-sentiment: accuracy" in page

    admin_client.post(changelist, {"action": "promote", "_selected_action": [second.pk]}, follow=True)
    assert ModelVersion.objects.get(project=project, kind="sentiment", live=True).pk == second.pk
    admin_client.post(changelist, {"action": "roll_back", "_selected_action": [second.pk]}, follow=True)
    assert ModelVersion.objects.get(project=project, kind="sentiment", live=True).pk == first.pk
    assert Project.objects.count() == 1
