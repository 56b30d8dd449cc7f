"""Your own API token: got with username and password, rotated, revoked."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/auth/token/"


def authorised(token):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def test_username_and_password_get_the_same_token_until_it_is_rotated():
    user = UserFactory(username="ana")

    first = APIClient().post(URL, {"username": "ana", "password": "secret-pass-123"}, format="json")
    again = APIClient().post(URL, {"username": "ana", "password": "secret-pass-123"}, format="json")

    assert first.status_code == 200 and first.json()["username"] == "ana"
    assert again.json()["token"] == first.json()["token"]
    token = first.json()["token"]
    assert authorised(token).post(URL).json()["token"] == token  # signed in by the token itself
    rotated = authorised(token).post(URL + "rotate/")
    assert rotated.status_code == 201 and rotated.json()["token"] != token
    assert authorised(token).get("/api/items/").status_code in (401, 403)
    assert authorised(rotated.json()["token"]).get("/api/items/").status_code == 200
    assert user.auth_token.key == rotated.json()["token"]


def test_a_revoked_token_stops_working():
    UserFactory(username="ana")
    token = APIClient().post(URL, {"username": "ana", "password": "secret-pass-123"}).json()["token"]

    assert authorised(token).delete(URL).status_code == 204

    assert authorised(token).get("/api/items/").status_code in (401, 403)


@pytest.mark.parametrize("body", [{"username": "ana", "password": "wrong"}, {"username": "nobody", "password": "x"},
                                  {}])
def test_no_token_without_the_right_credentials(body):
    UserFactory(username="ana")
    response = APIClient().post(URL, body, format="json")
    assert response.status_code in (401, 403) and "token" not in response.json()


def test_a_deactivated_user_gets_no_token():
    UserFactory(username="ana", is_active=False)
    assert APIClient().post(URL, {"username": "ana", "password": "secret-pass-123"}).status_code in (401, 403)


def test_rotating_needs_a_signed_in_user():
    assert APIClient().post(URL + "rotate/").status_code in (401, 403)
