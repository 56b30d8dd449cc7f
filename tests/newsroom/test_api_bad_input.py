"""Bad input answers 400 (or 404) in the error envelope, never 500: the causes Schemathesis
found, one test each, plus NUL characters (which PostgreSQL text cannot hold) in every kind of
text field the API writes."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

NUL = "bad\x00text"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def project():
    return factories.ProjectFactory()


def assert_envelope(response, status):
    assert response.status_code == status, response.content
    assert set(response.json()["error"]) == {"code", "message", "detail"}


def test_a_member_added_without_a_role_is_refused(project):
    factories.UserFactory(username="newcomer")
    response = client_for(factories.member(project, "manager")).post(
        f"/api/projects/{project.pk}/members/", {"username": "newcomer"}, format="json")
    assert_envelope(response, 400)
    assert "role" in response.json()["error"]["detail"]


def test_a_column_map_naming_an_unknown_field_is_refused(manager):
    response = client_for(manager).post("/api/imports/", {
        "articles": [{"content": "Mayor Ana Reyes opened the bridge."}], "column_map": {"body_text": "content"}},
        format="json")
    assert_envelope(response, 400)
    assert "body_text" in str(response.json()["error"]["detail"]["column_map"])


@pytest.mark.parametrize("url", ["/api/articles/", "/api/items/"])
def test_date_filters_take_any_utc_offset(url, project, manager):
    project.memberships.create(user=manager, role="manager")
    factories.ItemFactory(project=project, article=factories.ArticleFactory(
        published_at=datetime(2026, 3, 1, 12, tzinfo=UTC)))
    client = client_for(manager)
    # 2026-03-02T03:00+16:00 is 2026-03-01T11:00Z: before the article; +20:00 makes it 07:00Z.
    after = client.get(url, {"published_after": "2026-03-02T03:00:00+16:00"})
    assert after.status_code == 200 and len(after.json()["results"]) == 1
    before = client.get(url, {"published_before": "2026-03-02T03:00:00+20:00"})
    assert before.status_code == 200 and before.json()["results"] == []


@pytest.mark.parametrize("url", ["/api/articles/", "/api/items/"])
def test_a_date_out_of_range_in_utc_is_refused(url, manager):
    assert_envelope(client_for(manager).get(url, {"published_after": "0001-01-01T00:00:00+05:00"}), 400)


def test_nul_in_names_and_notes_is_refused(project):
    manager = factories.member(project, "manager")
    item = factories.ItemFactory(project=project)
    client = client_for(manager)
    writes = [
        ("post", "/api/projects/", {"name": NUL}),
        ("patch", f"/api/projects/{project.pk}/", {"description": NUL}),
        ("patch", f"/api/projects/{project.pk}/", {"intake_keywords": ["ferry", NUL]}),
        ("patch", f"/api/projects/{project.pk}/", {"sentiment_scale": ["bad", NUL]}),
        ("post", f"/api/projects/{project.pk}/entity-types/", {"name": NUL}),
        ("post", f"/api/projects/{project.pk}/topics/", {"name": NUL}),
        ("post", f"/api/items/{item.pk}/gold/", {"sentiment": "positive", "note": NUL}),
        ("post", f"/api/items/{item.pk}/send-back/", {"note": NUL}),
        ("post", f"/api/items/{item.pk}/skip/", {"reason": NUL}),
        ("post", f"/api/projects/{project.pk}/releases/", {"note": NUL}),
        ("post", "/api/imports/", {"articles": [{"text": "Mayor Ana Reyes spoke."}], "source": NUL}),
        ("post", "/api/imports/", {"articles": [{"text": "Mayor Ana Reyes spoke."}], "column_map": {"text": NUL}}),
    ]
    manager.is_staff = True
    manager.save()
    for method, url, data in writes:
        assert_envelope(getattr(client, method)(url, data, format="json"), 400)


def test_nul_in_query_filters_is_refused(project, manager):
    batch = client_for(manager).post("/api/imports/", {"articles": [{"text": "Mayor Ana Reyes spoke."}]},
                                     format="json").json()
    client = client_for(manager)
    assert_envelope(client.get(f"/api/imports/{batch['id']}/records/", {"outcome": NUL}), 400)
    assert_envelope(client.get("/api/items/", {"q": NUL}), 400)
    assert_envelope(client.get("/api/articles/", {"language": NUL}), 400)


def test_a_url_no_route_matches_answers_the_envelope(manager):
    assert_envelope(client_for(manager).get("/api/projects/0.5/"), 404)
    assert_envelope(client_for(manager).get("/api/no-such-resource/"), 404)


def test_a_request_django_refuses_answers_the_envelope(project, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = client_for(factories.member(project, "manager"))
    response = client.patch(f"/api/projects/{project.pk}/", {"intake_keywords": [f"k{n}" for n in range(20)]},
                            format="multipart")
    assert_envelope(response, 400)


def test_pages_outside_the_api_keep_their_own_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_locked_out_token_request_answers_the_envelope(settings):
    settings.AXES_ENABLED, settings.AXES_FAILURE_LIMIT = True, 2
    user = factories.UserFactory()
    client = APIClient()
    for _ in range(2):
        client.post("/api/auth/token/", {"username": user.username, "password": "wrong"}, format="json")
    response = client.post("/api/auth/token/", {"username": user.username, "password": "secret-pass-123"},
                           format="json")
    assert_envelope(response, 429)
    assert response.json()["error"]["code"] == "locked_out" and int(response["Retry-After"]) > 0
