"""Search vectors are built by a job after the import, not in it: an imported article is found
once its job ran, the lag shows on the batch, and a sweep builds what a lost message left."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from ingest.models import Article, ArticleSearch, ImportBatch
from ingest.search import search_pending_count, search_vectors_sweep
from ingest.selectors import article_search
from tests import factories
from tests.ingest.records import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def post_articles(client, records) -> dict:
    response = client.post("/api/imports/", records, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def found(query: str) -> set[str]:
    return set(article_search(Article.objects.all(), query).values_list("title", flat=True))


def test_an_imported_article_is_found_once_its_vector_job_ran(manager_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        batch = post_articles(manager_client, [article(1, title="Harbour cranes idle"), article(2)])
    assert batch["search_pending"] == 2 and search_pending_count() == 2
    assert ArticleSearch.objects.count() == 0, "the import itself builds no vector"
    if connection.vendor == "postgresql":
        assert found("cranes") == set(), "not searchable before its job ran"

    for callback in sent:  # the job the import queued after its commit (eager here)
        callback()
    assert manager_client.get(f"/api/imports/{batch['id']}/").json()["search_pending"] == 0
    assert search_pending_count() == 0
    assert found("cranes") == {"Harbour cranes idle"}
    assert ArticleSearch.objects.count() == 2


def test_the_sweep_builds_what_a_lost_message_left_and_nothing_twice(manager_client):
    batch = post_articles(manager_client, [article(n) for n in range(5)])  # its job's message is never sent
    loose = factories.ArticleFactory(title="Ferry timetable", search_vector=False)  # an article that came with no batch
    assert ImportBatch.objects.get(pk=batch["id"]).search_pending == 5

    assert search_vectors_sweep() == 6
    assert ImportBatch.objects.get(pk=batch["id"]).search_pending == 0
    assert ArticleSearch.objects.filter(article=loose).exists()
    assert found("ferry timetable") == {"Ferry timetable"}
    assert search_vectors_sweep() == 0


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_search_reads_titles_and_bodies_newest_first_and_speaks_web_search(manager_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_articles(manager_client, [
            {"title": "Storm closes harbour", "text": "Ferries stayed in port all day as waves rose."},
            {"title": "Council budget", "text": "The storm of protest over the harbour budget went on."},
        ])
    newest_first = list(article_search(Article.objects.all(), "storm harbour").values_list("title", flat=True))
    assert newest_first == ["Council budget", "Storm closes harbour"]
    assert found('"storm closes" -budget') == {"Storm closes harbour"}


def planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("imported, analyzed", [(3, True), (2, False)])
def test_an_import_of_enough_articles_analyzes_the_tables_it_filled(manager_client, settings, imported, analyzed):
    settings.DB_ANALYZE_MIN_ROWS = 3
    project = factories.ProjectFactory(intake="all")
    before = {table: planner_rows(table) for table in ("ingest_article", "ingest_storybandkey", "annotations_item")}
    post_articles(manager_client, [article(n) for n in range(imported)])
    after = {table: planner_rows(table) for table in before}
    # ANALYZE writes the row counts in place: they outlive the test's rollback.
    if analyzed:
        assert after == {"ingest_article": imported, "ingest_storybandkey": imported * 64,
                         "annotations_item": project.items.count()}
    else:
        assert after == before
