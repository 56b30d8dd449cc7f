"""Users over the API: staff manage everyone; managers create annotators and reviewers in the
projects they manage; a deactivated user's token stops working."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Assignment
from annotations.queue import assignment_claim_next
from tests.factories import ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-harbour-passphrase"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_user(client, **fields):
    return client.post("/api/users/", {"username": "ana", "password": PASSWORD, **fields}, format="json")


@pytest.fixture
def project():
    return ProjectFactory()


def test_a_manager_creates_an_annotator_with_their_membership_in_one_call(project):
    response = new_user(client_for(member(project, "manager")), project=project.pk, roles=["annotator"],
                        email="ana@example.org")

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ana" and body["is_active"] and not body["is_staff"]
    assert body["memberships"] == [{"project": project.pk, "roles": ["annotator"]}]
    user = User.objects.get(username="ana")
    assert user.check_password(PASSWORD)
    assert list(project.memberships.filter(user=user).values_list("role", flat=True)) == ["annotator"]


@pytest.mark.parametrize("fields, problem", [
    ({}, "project"),                                          # managers name the project
    ({"roles": ["manager"]}, "roles"),                        # managers make annotators and reviewers only
    ({"roles": ["annotator"], "is_staff": True}, "is_staff"),  # nor staff
    ({"roles": []}, "roles"),                                 # a member has a role
])
def test_what_a_manager_may_not_create_is_refused_and_nothing_is_made(project, fields, problem):
    client = client_for(member(project, "manager"))
    fields = {"project": project.pk, **fields} if problem != "project" else fields

    response = new_user(client, **fields)

    assert response.status_code == 400, response.json()
    assert problem in response.json()["error"]["detail"]
    assert not User.objects.filter(username="ana").exists()


def test_a_manager_cannot_create_users_in_another_project(project):
    other = ProjectFactory()
    response = new_user(client_for(member(project, "manager")), project=other.pk, roles=["annotator"])
    assert response.status_code == 400 and not User.objects.filter(username="ana").exists()


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_annotators_and_reviewers_see_no_users(project, role):
    client = client_for(member(project, role))
    assert client.get("/api/users/").status_code == 403
    assert new_user(client, project=project.pk, roles=["annotator"]).status_code == 403


def test_a_manager_lists_the_members_of_their_projects_only(project):
    manager = member(project, "manager")
    colleague = member(project, "annotator")
    stranger = member(ProjectFactory(), "annotator")

    usernames = [row["username"] for row in client_for(manager).get("/api/users/").json()["results"]]

    assert set(usernames) == {manager.username, colleague.username}
    assert stranger.username not in usernames


def test_staff_create_list_and_deactivate_anyone(project):
    staff = client_for(UserFactory(is_staff=True))
    created = new_user(staff, is_staff=True).json()
    annotator = member(project, "annotator")
    ItemFactory(project=project)
    assignment_claim_next(project=project, annotator=annotator)
    token = Token.objects.create(user=annotator)

    assert created["is_staff"] and created["memberships"] == []
    assert {"ana", annotator.username} <= {row["username"] for row in staff.get("/api/users/").json()["results"]}
    deactivated = staff.post(f"/api/users/{annotator.pk}/deactivate/")

    assert deactivated.status_code == 200 and deactivated.json()["is_active"] is False
    assert not Assignment.objects.filter(annotator=annotator, status=Assignment.Status.ACTIVE).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/items/").status_code in (401, 403)
    assert staff.post(f"/api/users/{annotator.pk}/activate/").json()["is_active"] is True
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/items/").status_code == 200


def test_only_staff_deactivate_or_change_users(project):
    manager = client_for(member(project, "manager"))
    annotator = member(project, "annotator")
    assert manager.post(f"/api/users/{annotator.pk}/deactivate/").status_code == 403
    assert manager.patch(f"/api/users/{annotator.pk}/", {"email": "x@example.org"}, format="json").status_code == 403
    staff = client_for(UserFactory(is_staff=True))
    assert staff.patch(f"/api/users/{annotator.pk}/", {"email": "x@example.org"},
                       format="json").json()["email"] == "x@example.org"


def test_a_taken_username_is_a_conflict_and_a_weak_password_is_refused(project):
    staff = client_for(UserFactory(is_staff=True))
    assert new_user(staff).status_code == 201
    assert new_user(staff).status_code == 409
    weak = staff.post("/api/users/", {"username": "bo", "password": "123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["error"]["detail"]
