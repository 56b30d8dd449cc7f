"""The labeling admin pages render, with the project's schema and members inline."""

import pytest
from django.urls import reverse

from annotations.models import Annotation, Assignment, Gold, Item, Prediction, Project
from annotations.queue import assignment_claim_next
from annotations.services import annotation_submit, gold_accept
from tests.factories import ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled():
    project = ProjectFactory(overlap=1)
    item = ItemFactory(project=project)
    annotator = member(project, "annotator")
    assignment_claim_next(project=project, annotator=annotator)
    annotation = annotation_submit(item=item, annotator=annotator, sentiment="positive")
    gold_accept(item=item, reviewer=None, annotation=annotation)
    item.predictions.create(predictor="spacy-ner", version="1", labels={"spans": []})
    return project


@pytest.mark.parametrize("model", [Project, Item, Assignment, Annotation, Gold, Prediction])
def test_changelists_render(admin_client, labelled, model):
    response = admin_client.get(reverse(f"admin:annotations_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_project_page_shows_schema_and_members(admin_client, labelled):
    page = admin_client.get(reverse("admin:annotations_project_change", args=[labelled.pk])).content.decode()
    for text in ("PERSON", "Elections", "annotator"):
        assert text in page
