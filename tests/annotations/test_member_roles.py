"""A member holds a set of roles: managers and reviewers who also annotate label through the queue;
the members API gives, changes and takes roles one by one."""

import pytest
from rest_framework.test import APIClient

from annotations.models import Assignment, Membership
from annotations.queue import assignment_claim_next
from tests.factories import ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit(client, item_id):
    return client.post(f"/api/items/{item_id}/annotations/", {"sentiment": "neutral"}, format="json")


@pytest.fixture
def project():
    project = ProjectFactory(overlap=1)
    ItemFactory(project=project)
    return project


@pytest.mark.parametrize("roles, may_label", [
    (["manager"], False), (["reviewer"], False), (["manager", "annotator"], True),
    (["reviewer", "annotator"], True), (["annotator"], True)])
def test_who_labels_is_who_holds_the_annotator_role(project, roles, may_label):
    user = UserFactory()
    for role in roles:
        project.memberships.create(user=user, role=role)
    client = client_for(user)

    response = client.post(f"/api/projects/{project.pk}/next/")

    assert response.status_code == (200 if may_label else 403)
    if may_label:
        assert submit(client, response.json()["id"]).status_code == 201


def test_a_manager_who_annotates_keeps_managing(project):
    user = member(project, "manager")
    project.memberships.create(user=user, role="annotator")
    client = client_for(user)

    assert client.get(f"/api/projects/{project.pk}/members/").status_code == 200
    assert client.get(f"/api/projects/{project.pk}/agreement/").status_code == 200


def test_staff_label_only_where_they_hold_the_annotator_role(project):
    staff = UserFactory(is_staff=True)
    assert client_for(staff).post(f"/api/projects/{project.pk}/next/").status_code == 403
    project.memberships.create(user=staff, role="annotator")
    assert client_for(staff).post(f"/api/projects/{project.pk}/next/").status_code == 200


def test_members_api_gives_several_roles_and_lists_a_row_per_role(project):
    manager = member(project, "manager")
    newcomer = UserFactory(username="zed")
    client = client_for(manager)
    url = f"/api/projects/{project.pk}/members/"

    created = client.post(url, {"user_id": newcomer.pk, "roles": ["reviewer", "annotator"]}, format="json")

    assert created.status_code == 201
    assert created.json()["role"] == "reviewer" and created.json()["roles"] == ["annotator", "reviewer"]
    rows = [(row["username"], row["role"], row["roles"]) for row in client.get(url).json()["results"]
            if row["username"] == "zed"]
    assert rows == [("zed", "annotator", ["annotator", "reviewer"]), ("zed", "reviewer", ["annotator", "reviewer"])]
    again = client.post(url, {"username": "zed", "role": "annotator"}, format="json")
    assert again.status_code == 201 and Membership.objects.filter(user=newcomer).count() == 2


def test_taking_the_annotator_role_returns_the_members_items_and_leaves_the_others(project):
    user = member(project, "reviewer")
    annotating = project.memberships.create(user=user, role="annotator")
    assignment_claim_next(project=project, annotator=user)
    client = client_for(member(project, "manager"))

    assert client.delete(f"/api/projects/{project.pk}/members/{annotating.pk}/").status_code == 204

    assert list(project.memberships.filter(user=user).values_list("role", flat=True)) == ["reviewer"]
    assert not Assignment.objects.filter(annotator=user, status=Assignment.Status.ACTIVE).exists()


def test_changing_a_role_into_one_held_already_leaves_one_row(project):
    user = member(project, "annotator")
    reviewing = project.memberships.create(user=user, role="reviewer")
    client = client_for(member(project, "manager"))

    response = client.patch(f"/api/projects/{project.pk}/members/{reviewing.pk}/", {"role": "annotator"},
                            format="json")

    assert response.status_code == 200 and response.json()["roles"] == ["annotator"]
    assert project.memberships.filter(user=user).count() == 1


def test_members_are_named_by_an_existing_user_and_a_role(project):
    client = client_for(member(project, "manager"))
    url = f"/api/projects/{project.pk}/members/"
    assert client.post(url, {"username": "nobody", "role": "annotator"}, format="json").status_code == 400
    assert client.post(url, {"username": UserFactory().username}, format="json").status_code == 400
    assert client.post(url, {"role": "annotator"}, format="json").status_code == 400


def test_home_page_offers_every_page_the_roles_open(project, client):
    user = member(project, "reviewer")
    project.memberships.create(user=user, role="annotator")
    client.force_login(user)

    page = client.get("/").content.decode()

    assert "Annotator, reviewer" in page
    assert f"/projects/{project.pk}/label/" in page and f"/projects/{project.pk}/review/" in page
