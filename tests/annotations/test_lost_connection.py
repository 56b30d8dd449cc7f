"""Labeling when the database connection drops: a 503 to retry, never a 500, and a retried
submit that had in fact been saved returns the saved annotation instead of a conflict."""

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from annotations.models import Annotation
from newsroom.api.errors import exception_handler
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

BODY = "Mayor Zoë Brandt met Harbor Ledger editors in Portvale on Monday."


def test_a_retried_submit_returns_the_annotation_it_saved():
    project = ProjectFactory(overlap=1)
    ItemFactory(project=project, article=ArticleFactory(body=BODY))
    client = APIClient()
    client.force_authenticate(member(project, "annotator"))
    item_id = client.post(f"/api/projects/{project.pk}/next/").json()["id"]
    start = BODY.index("Zoë Brandt")
    labels = {"sentiment": "positive", "spans": [{"start": start, "end": start + 10, "label": "PERSON",
                                                  "text": "Zoë Brandt"}]}
    first = client.post(f"/api/items/{item_id}/annotations/", labels, format="json")
    again = client.post(f"/api/items/{item_id}/annotations/", labels, format="json")  # its answer was lost
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and again.json()["version"] == 1
    assert Annotation.objects.count() == 1
    changed = client.post(f"/api/items/{item_id}/annotations/", {"sentiment": "negative"}, format="json")
    assert changed.status_code == 409  # a different edit from a stale base is still refused


def test_a_lost_database_connection_is_a_503_to_retry_never_a_500():
    response = exception_handler(OperationalError("terminating connection due to administrator command"), {})
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.data["error"]["code"] == "database_unavailable"
