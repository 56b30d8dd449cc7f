"""Edits of a project's schema that refuse to lose anyone's work: If-Match with each object's
etag (412 when it changed since it was read), and sentiment values that labels use staying on
the scale (409)."""

import pytest
from rest_framework.test import APIClient

from newsroom.api.preconditions import etag_of, if_match_allows
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return factories.ProjectFactory(overlap=1)


@pytest.fixture
def manager(project):
    client = APIClient()
    client.force_authenticate(factories.member(project, "manager"))
    return client


def _etag(client, url) -> str:
    return client.get(url).json()["etag"]


@pytest.mark.parametrize("path", ["entity-types/{type}/", "topics/{topic}/", ""])
def test_a_write_naming_the_etag_read_goes_through_and_a_stale_one_is_refused(project, manager, path):
    url = f"/api/projects/{project.pk}/" + path.format(type=project.entity_types.get(name="ORG").pk,
                                                      topic=project.topics.get(name="Economy").pk)
    change = {"entity-types": {"colour": "#123456"}, "topics": {"name": "Business"}}.get(path.split("/")[0],
                                                                                          {"guidelines": "Mine."})
    read = _etag(manager, url)
    assert manager.get(url)["ETag"] == f'"{read}"'

    first = manager.patch(url, change, format="json", HTTP_IF_MATCH=f'"{read}"')
    assert first.status_code == 200 and first.json()["etag"] != read
    assert first["ETag"] == f'"{first.json()["etag"]}"'
    assert first.json()["etag"] == _etag(manager, url)

    stale = manager.patch(url, {**change, **{key: "#654321" if key == "colour" else "Theirs" for key in change}},
                          format="json", HTTP_IF_MATCH=f'"{read}"')
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "stale"
    assert manager.get(url).json()[next(iter(change))] == next(iter(change.values()))  # the first edit stands


def test_a_stale_delete_is_refused_and_a_current_one_goes_through(project, manager):
    economy = project.topics.get(name="Economy")
    url = f"/api/projects/{project.pk}/topics/{economy.pk}/"
    read = _etag(manager, url)
    manager.patch(url, {"description": "Markets and trade."}, format="json")

    assert manager.delete(url, HTTP_IF_MATCH=f'"{read}"').status_code == 412
    assert project.topics.filter(pk=economy.pk).exists()
    assert manager.delete(url, HTTP_IF_MATCH=f'W/"{_etag(manager, url)}"').status_code == 204


def test_lists_carry_each_objects_etag(project, manager):
    types = manager.get(f"/api/projects/{project.pk}/entity-types/").json()
    project_body = manager.get(f"/api/projects/{project.pk}/").json()

    assert {row["etag"] for row in types} == {etag_of(t) for t in project.entity_types.all()}
    assert project_body["topics"][0]["etag"] == etag_of(project.topics.get(pk=project_body["topics"][0]["id"]))
    assert project_body["etag"] == etag_of(project)


def test_if_match_header_forms():
    assert if_match_allows(None, "abc") and if_match_allows("*", "abc")
    assert if_match_allows('"x", W/"abc"', "abc")
    assert not if_match_allows('"abd"', "abc") and not if_match_allows("", "abc")


def test_sentiment_values_in_use_stay_on_the_scale(project, manager):
    annotator = factories.member(project, "annotator")
    factories.label(factories.ItemFactory(project=project), annotator, sentiment="neutral")
    url = f"/api/projects/{project.pk}/"

    removed = manager.patch(url, {"sentiment_scale": ["negative", "positive"]}, format="json")
    assert removed.status_code == 409
    assert removed.json()["error"]["detail"] == {"uses": 1, "values": {"neutral": 1}}
    assert "'neutral' (1)" in removed.json()["error"]["message"]

    reordered = manager.patch(url, {"sentiment_scale": ["very negative", "negative", "neutral", "positive"]},
                              format="json")
    assert reordered.status_code == 200
    project.refresh_from_db()
    assert project.sentiment_scale == ["very negative", "negative", "neutral", "positive"]
    assert manager.patch(url, {"sentiment_scale": ["negative", "neutral"]}, format="json").status_code == 200


def test_sentiment_toward_an_entity_counts_as_use(project, manager):
    project.entity_sentiment = True
    project.save()
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body="Ana Reyes spoke."))
    factories.label(item, factories.member(project, "annotator"), spans=[("Ana Reyes", "PERSON")],
                    sentiment="")
    item.annotations.get().spans.update(sentiment="negative")

    response = manager.patch(f"/api/projects/{project.pk}/", {"sentiment_scale": ["neutral", "positive"]},
                             format="json")
    assert response.status_code == 409 and response.json()["error"]["detail"]["values"] == {"negative": 1}


def test_if_match_is_checked_on_writes_only(project, manager):
    url = f"/api/projects/{project.pk}/topics/{project.topics.get(name='Economy').pk}/"
    assert manager.get(url, HTTP_IF_MATCH='"other"').status_code == 200
    assert manager.options(url, HTTP_IF_MATCH='"other"').status_code == 200
    assert manager.options(url, HTTP_IF_MATCH="").status_code == 200
