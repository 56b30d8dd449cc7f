"""Login throttling: after AXES_FAILURE_LIMIT wrong passwords for a username from one address,
every login path (the session login page, the browsable API's login, the admin's) refuses
that username from there, even with the right password, until the cool-off has passed."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/accounts/login/", "/api/auth/login/", "/admin/login/"]
PASSWORD = "secret-pass-123"  # the factories' password
LIMIT = 3


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


def log_in(client: Client, url: str, username: str, password: str, address: str = "10.0.0.1"):
    """Post the login form of ``url`` as a browser would; True when the user is now signed in."""
    client.get(url)
    response = client.post(url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address)
    return response, "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_wrong_passwords_lock_the_username_out_of_every_login_path(url):
    user = UserFactory(is_staff=True)
    for _ in range(LIMIT):
        assert not log_in(Client(), url, user.username, "wrong")[1]

    for other in LOGIN_PAGES:
        response, signed_in = log_in(Client(), other, user.username, PASSWORD)
        assert not signed_in, f"{other} let a locked-out username in"
        assert response.status_code == 429


def test_the_lockout_holds_after_sixty_wrong_passwords_too():
    user = UserFactory()
    for _ in range(60):
        log_in(Client(), "/accounts/login/", user.username, "wrong")

    assert not log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]


def test_others_and_other_addresses_still_log_in():
    guessed, colleague = UserFactory(), UserFactory()
    for _ in range(LIMIT):
        log_in(Client(), "/accounts/login/", guessed.username, "wrong")

    assert log_in(Client(), "/accounts/login/", colleague.username, PASSWORD)[1]
    assert log_in(Client(), "/accounts/login/", guessed.username, PASSWORD, address="10.0.0.2")[1]


def test_a_successful_login_before_the_limit_starts_the_count_again():
    user = UserFactory()
    for _ in range(LIMIT - 1):
        log_in(Client(), "/accounts/login/", user.username, "wrong")
    assert log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]
    for _ in range(LIMIT - 1):
        log_in(Client(), "/accounts/login/", user.username, "wrong")

    assert log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]


def test_the_reset_command_lifts_a_lockout():
    from django.core.management import call_command

    user = UserFactory()
    for _ in range(LIMIT):
        log_in(Client(), "/accounts/login/", user.username, "wrong")
    assert AccessAttempt.objects.filter(username=user.username).exists()

    call_command("axes_reset_username", user.username)

    assert log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]


def test_with_lockout_disabled_the_right_password_logs_in_after_many_wrong(settings):
    settings.AXES_ENABLED = False
    user = UserFactory()
    for _ in range(LIMIT * 2):
        log_in(Client(), "/accounts/login/", user.username, "wrong")

    assert log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]


def token_for(username: str, password: str, address: str = "10.0.0.1"):
    return Client().post("/api/auth/token/", {"username": username, "password": password},
                         content_type="application/json", REMOTE_ADDR=address)


def test_wrong_passwords_at_the_token_endpoint_lock_out_every_login_path():
    user = UserFactory(is_staff=True)
    answers = [token_for(user.username, "wrong").status_code for _ in range(LIMIT)]
    assert set(answers[:-1]) <= {401, 403} and answers[-1] == 429, "the last failure locks out"

    refused = token_for(user.username, PASSWORD)

    assert refused.status_code == 429 and "token" not in refused.content.decode()
    assert not log_in(Client(), "/accounts/login/", user.username, PASSWORD)[1]


def test_wrong_passwords_on_the_login_page_lock_the_token_endpoint_and_basic_auth():
    import base64

    user = UserFactory()
    for _ in range(LIMIT):
        log_in(Client(), "/accounts/login/", user.username, "wrong")
    basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()

    assert token_for(user.username, PASSWORD).status_code == 429
    assert Client().get("/api/projects/", HTTP_AUTHORIZATION=f"Basic {basic}",
                        REMOTE_ADDR="10.0.0.1").status_code in (401, 403, 429)
    assert token_for(user.username, PASSWORD, address="10.0.0.2").status_code == 200
