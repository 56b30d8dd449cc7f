"""Queries per request of the labeling loop, over the API with a token as clients send it: next,
then submit. An upper bound each, so that a change that makes them grow back fails here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import ProjectAgreement
from tests.factories import ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

# Token and user, project, roles, lease expiry, annotator lock, held assignment, candidate lock,
# count, insert. A project's blindness is decided from the roles already read.
NEXT_QUERIES = 9
# Token and user, item, roles, entity types (topics are read only when topics are sent),
# predictions, assignment lock, current annotation, annotation insert, spans insert, assignment
# update, item counters read and written under the row lock, the project's agreement report read
# (marked stale already: written once per refresh). The answer's spans are not read back.
SUBMIT_QUERIES = 13
# The submit that completes the item also moves it in the project's counts by status and refreshes
# its agreement: annotations and their spans, and the stored value.
COMPLETING_SUBMIT_QUERIES = SUBMIT_QUERIES + 4
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def captured(request) -> tuple[object, list[str], int]:
    """The response, the statements it ran (savepoints apart) and how many savepoints it opened."""
    with CaptureQueriesContext(connection) as queries:
        response = request()
    statements = [query["sql"] for query in queries.captured_queries]
    savepoints = sum(1 for sql in statements if sql.startswith("SAVEPOINT"))
    return response, [sql for sql in statements if not sql.startswith(SAVEPOINTS)], savepoints


def labels(body: str) -> dict:
    word = body.split()[1]
    start = body.index(word)
    return {"sentiment": "neutral", "base_version": None,
            "spans": [{"start": start, "end": start + len(word), "label": "PERSON", "text": word}]}


@pytest.mark.parametrize("blind", [False, True])
def test_next_and_submit_stay_within_their_queries(blind):
    project = ProjectFactory(overlap=2, blind=blind)
    ProjectAgreement.objects.create(project=project, stale_since=timezone.now())  # as after an earlier submit
    ItemFactory.create_batch(3, project=project)
    first, second = (api_client(member(project, "annotator")) for _ in range(2))
    for client, submit_queries in ((first, SUBMIT_QUERIES), (second, COMPLETING_SUBMIT_QUERIES)):
        response, statements, savepoints = captured(lambda: client.post(f"/api/projects/{project.pk}/next/"))
        assert response.status_code == 200
        # One transaction (a savepoint only inside the test's own transaction), none nested in it.
        assert len(statements) <= NEXT_QUERIES and savepoints <= 1, "\n".join(statements)
        item = response.json()
        assert (item["status"] is None) == blind  # the roles read for the permission decided it
        response, statements, savepoints = captured(lambda: client.post(
            f"/api/items/{item['id']}/annotations/", labels(item["body"]), format="json"))
        assert response.status_code == 201, response.json()
        assert len(response.json()["spans"]) == 1
        assert len(statements) <= submit_queries and savepoints <= 1, "\n".join(statements)


def test_next_for_an_annotator_with_a_current_item_reads_it_under_their_lock():
    project = ProjectFactory(overlap=1)
    ItemFactory(project=project)
    client = api_client(member(project, "annotator"))
    first = client.post(f"/api/projects/{project.pk}/next/").json()
    response, statements, savepoints = captured(lambda: client.post(f"/api/projects/{project.pk}/next/"))
    assert response.json()["id"] == first["id"]
    # Token, project, roles, lease expiry, annotator lock, held assignment: no candidate is read.
    assert len(statements) <= 6 and savepoints <= 1, "\n".join(statements)
