"""A project's schema and members over the API: members read, managers change, labels in
use are protected (409), removing a member returns their items to the pool."""

import pytest
from rest_framework.test import APIClient

from annotations import queue, services
from annotations.models import Assignment, Membership
from annotations.validation import SpanInput
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def project():
    return factories.ProjectFactory(overlap=1)


def _labelled(project, label="PERSON", topics=()):
    annotator = factories.member(project, "annotator")
    item = factories.ItemFactory(project=project, article=factories.ArticleFactory(body="Ana Reyes spoke."))
    queue.assignment_claim_next(project=project, annotator=annotator)
    services.annotation_submit(item=item, annotator=annotator, topics=topics,
                               spans=[SpanInput(start=0, end=9, label=label, text="Ana Reyes")])
    return annotator


@pytest.mark.parametrize(("role", "read", "write"), [
    ("annotator", 200, 403), ("reviewer", 200, 403), ("manager", 200, 201)])
def test_entity_types_read_by_members_written_by_managers(project, role, read, write):
    client = _client(factories.member(project, role))
    url = f"/api/projects/{project.pk}/entity-types/"
    assert client.get(url).status_code == read
    response = client.post(url, {"name": "EVENT", "colour": "#b07aa1", "hotkey": "e"}, format="json")
    assert response.status_code == write
    if write == 201:
        assert project.entity_types.filter(name="EVENT", hotkey="e").exists()


def test_outsiders_get_404(project):
    assert _client(factories.UserFactory()).get(f"/api/projects/{project.pk}/topics/").status_code == 404


def test_entity_type_validation_and_duplicates(project):
    client = _client(factories.member(project, "manager"))
    url = f"/api/projects/{project.pk}/entity-types/"
    assert client.post(url, {"name": "EVENT", "colour": "red"}, format="json").status_code == 400
    response = client.post(url, {"name": "PERSON", "colour": "#000000"}, format="json")
    assert response.status_code == 409 and "exists" in response.json()["error"]["message"]


def test_a_type_in_use_is_neither_renamed_nor_deleted(project):
    _labelled(project)
    person = project.entity_types.get(name="PERSON")
    client = _client(factories.member(project, "manager"))
    url = f"/api/projects/{project.pk}/entity-types/{person.pk}/"
    assert client.patch(url, {"name": "PER"}, format="json").status_code == 409
    assert client.patch(url, {"colour": "#123456"}, format="json").status_code == 200
    response = client.delete(url)
    assert response.status_code == 409 and response.json()["error"]["detail"]["uses"] == 1
    org = project.entity_types.get(name="ORG")
    assert client.delete(f"/api/projects/{project.pk}/entity-types/{org.pk}/").status_code == 204


def test_topics_tree_rules(project):
    client = _client(factories.member(project, "manager"))
    url = f"/api/projects/{project.pk}/topics/"
    politics = project.topics.get(name="Politics")
    elections = project.topics.get(name="Elections")
    created = client.post(url, {"name": "Local", "parent": politics.pk}, format="json")
    assert created.status_code == 201 and created.json()["parent"] == politics.pk
    cycle = client.patch(f"{url}{politics.pk}/", {"parent": elections.pk}, format="json")
    assert cycle.status_code == 400
    other = factories.ProjectFactory()
    foreign = client.post(url, {"name": "X", "parent": other.topics.first().pk}, format="json")
    assert foreign.status_code == 400


def test_a_topic_in_use_or_above_one_in_use_is_not_deleted(project):
    elections = project.topics.get(name="Elections")
    _labelled(project, topics=[elections.pk])
    client = _client(factories.member(project, "manager"))
    assert client.delete(f"/api/projects/{project.pk}/topics/{elections.parent_id}/").status_code == 409
    economy = project.topics.get(name="Economy")
    assert client.delete(f"/api/projects/{project.pk}/topics/{economy.pk}/").status_code == 204
    renamed = client.patch(f"/api/projects/{project.pk}/topics/{elections.pk}/", {"name": "Votes"}, format="json")
    assert renamed.status_code == 200  # labels point at the id: renaming is safe


def test_members_added_changed_and_removed_by_managers(project):
    manager = factories.member(project, "manager")
    newcomer = factories.UserFactory(username="newcomer")
    client = _client(manager)
    url = f"/api/projects/{project.pk}/members/"
    response = client.post(url, {"username": "newcomer", "role": "annotator"}, format="json")
    assert response.status_code == 201
    membership = Membership.objects.get(project=project, user=newcomer)
    assert client.patch(f"{url}{membership.pk}/", {"role": "reviewer"}, format="json").json()["role"] == "reviewer"
    assert client.post(url, {"username": "nobody", "role": "annotator"}, format="json").status_code == 400
    assert client.post(url, {"username": "newcomer", "role": "boss"}, format="json").status_code == 400


def test_removing_a_member_returns_their_items_to_the_pool(project):
    annotator = factories.member(project, "annotator")
    item = factories.ItemFactory(project=project)
    assignment = queue.assignment_claim_next(project=project, annotator=annotator)
    membership = Membership.objects.get(project=project, user=annotator)
    response = _client(factories.member(project, "manager")).delete(
        f"/api/projects/{project.pk}/members/{membership.pk}/")
    assert response.status_code == 204
    assignment.refresh_from_db()
    item.refresh_from_db()
    assert assignment.status == Assignment.Status.EXPIRED and item.assigned_count == 0


def test_annotators_do_not_list_members(project):
    assert _client(factories.member(project, "annotator")).get(
        f"/api/projects/{project.pk}/members/").status_code == 403
