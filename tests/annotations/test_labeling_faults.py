"""Labeling through a live server while its database connections are terminated
(pg_terminate_backend, as a failover or an administrator would): no request answers 500, a
request cut off answers 503 and its retry is safe, and every submit is stored exactly once."""

import time

import pytest
import requests
from rest_framework.authtoken.models import Token

from annotations.models import Annotation
from tests.factories import ItemFactory, ProjectFactory, member
from tests.pipeline import Terminator, require_postgresql

pytestmark = [pytest.mark.pipeline, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# libpq names the live server's connections after this (PGAPPNAME), so only they are terminated.
WEB_APP_NAME = "newsroom-test-web"
ITEMS = 30
# A client retries a 503 (as the labeling page does) this many times at most.
RETRIES = 8


def test_labeling_while_connections_are_terminated_never_answers_500_and_stores_each_submit_once(
        live_server, monkeypatch):
    require_postgresql()
    project = ProjectFactory(overlap=1)
    ItemFactory.create_batch(ITEMS, project=project)
    token = Token.objects.create(user=member(project, "annotator"))
    monkeypatch.setenv("PGAPPNAME", WEB_APP_NAME)  # the live server's connections open from now on
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token.key}"
    answers, saved = [], set()

    def call(method: str, path: str, **kwargs) -> requests.Response:
        for _ in range(RETRIES):
            response = session.request(method, f"{live_server.url}{path}", timeout=30, **kwargs)
            answers.append(response.status_code)
            if response.status_code != 503:
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")) / 4)
        return response

    terminator = Terminator(WEB_APP_NAME, pause=0.25)
    terminator.start()
    try:
        for _ in range(ITEMS):
            offered = call("POST", f"/api/projects/{project.pk}/next/")
            if offered.status_code == 204:
                break
            assert offered.status_code == 200, offered.text
            submit = call("POST", f"/api/items/{offered.json()['id']}/annotations/", json={"sentiment": "positive"})
            assert submit.status_code == 201, submit.text
            saved.add(submit.json()["id"])
    finally:
        terminator.stop()

    assert 500 not in answers
    assert terminator.count > 0, "connections of the live server should have been terminated"
    assert Annotation.objects.count() == len(saved) == ITEMS
    assert set(Annotation.objects.values_list("version", flat=True)) == {1}
