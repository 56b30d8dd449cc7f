"""API throttles on the expensive endpoints: exports, releases, imports (articles and labels)
and pre-annotation runs answer 429 with Retry-After past their rate, per user."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

RATE = 2


@pytest.fixture(autouse=True)
def _low_rates(settings):
    rates = dict.fromkeys(["exports", "releases", "imports", "preannotation"], f"{RATE}/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def calls(project):
    """Each throttled endpoint, as a call (bad bodies do: the rate counts requests, not successes)."""
    return {
        "export": lambda client: client.get(f"/api/projects/{project.pk}/export/?export_format=jsonl"),
        "release": lambda client: client.post(f"/api/projects/{project.pk}/releases/", {}, format="json"),
        "article import": lambda client: client.post("/api/imports/", [], format="json"),
        "label import": lambda client: client.post(f"/api/projects/{project.pk}/label-imports/", {}),
        "pre-annotation run": lambda client: client.post(f"/api/projects/{project.pk}/preannotation-runs/",
                                                         {"predictors": ["no-such-predictor"]}, format="json"),
    }


@pytest.mark.parametrize("endpoint", ["export", "release", "article import", "label import", "pre-annotation run"])
def test_past_the_rate_the_endpoint_answers_429_for_that_user_only(endpoint):
    project = ProjectFactory()
    call = calls(project)[endpoint]
    manager, other = UserFactory(is_staff=True), UserFactory(is_staff=True)

    answers = [call(client_for(manager)).status_code for _ in range(RATE + 1)]
    refused = call(client_for(manager))

    assert 429 not in answers[:RATE]
    assert answers[RATE] == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert call(client_for(other)).status_code != 429


def test_reads_are_not_throttled():
    project = ProjectFactory()
    manager = client_for(UserFactory(is_staff=True))

    assert {manager.get(f"/api/projects/{project.pk}/releases/").status_code for _ in range(RATE * 3)} == {200}


def test_the_schema_documents_429_on_the_throttled_operations():
    schema = client_for(UserFactory(is_staff=True)).get("/api/schema/?format=json").json()
    paths = schema["paths"]

    assert "429" in paths["/api/projects/{id}/export/"]["get"]["responses"]
    for path in ("/api/projects/{project_pk}/releases/", "/api/imports/", "/api/projects/{project_pk}/label-imports/",
                 "/api/projects/{project_pk}/preannotation-runs/"):
        assert "429" in paths[path]["post"]["responses"], path
    assert "429" not in paths["/api/projects/{project_pk}/releases/"]["get"]["responses"]
