"""Imports and other jobs through faults, with real processes: a celery worker SIGKILLed in the
middle of an import, a broker that is down when jobs are created, database connections
terminated under a running import. Nothing is lost, nothing is done twice, no answer lies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.datasets.releases import releases_sweep
from annotations.models import Item, Prediction, Release
from annotations.preannotation.runs import preannotation_sweep
from ingest.jobs import import_batches_sweep
from ingest.models import Article, ImportBatch
from tests import factories
from tests.ingest.records import article, jsonl
from tests.pipeline import (BROKER_URL, WORKER_APP_NAME, PrivateRedis, Worker, new_queue, require_postgresql,
                            restore_broker, terminate_connections, use_broker, wait_for,
                            worker_queue)  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.pipeline, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Small chunks: many commits per import, so a fault lands between two of them.
WORKER_ENV = {"INGEST_CHUNK_SIZE": "25"}


@pytest.fixture
def workers(tmp_path):
    started = []

    def start(queue: str, broker_url: str = BROKER_URL) -> Worker:
        worker = Worker(queue, tmp_path / "worker.log", broker_url=broker_url, env=WORKER_ENV)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def manager_client(settings):
    settings.INGEST_SYNC_MAX_BYTES = 0  # every upload goes to the worker
    client = APIClient()
    client.force_authenticate(factories.UserFactory(is_staff=True))
    return client


def post_import(client, records) -> dict:
    response = client.post("/api/imports/", {"files": [SimpleUploadedFile("feed.jsonl", jsonl(records))]},
                           format="multipart")
    assert response.status_code == 202, response.content
    return response.json()


def batch_where(pk: int, **values):
    return lambda: ImportBatch.objects.filter(pk=pk, **values).exists()


def test_a_worker_killed_mid_import_is_resumed_after_restart_offering_every_article_once(
        worker_queue, workers, manager_client, settings, tmp_path):
    project = factories.ProjectFactory(overlap=1)
    worker = workers(worker_queue)
    count = 6000
    batch = post_import(manager_client, [article(n) for n in range(count)])
    assert (batch["status"], batch["queued"]) == ("pending", True)
    wait_for(batch_where(batch["id"], processed_count__gte=100), timeout=90, what="the first chunks", log=worker.log)
    worker.kill()

    stopped = ImportBatch.objects.get(pk=batch["id"])
    assert stopped.status == "running" and 100 <= stopped.processed_count < count, "killed in the middle"
    assert Item.objects.filter(project=project).count() == Article.objects.count() == stopped.created_count

    workers(worker_queue)
    settings.INGEST_STALE_AFTER = 0  # the killed worker's batch is stale at once
    assert import_batches_sweep() == [batch["id"]]
    wait_for(batch_where(batch["id"], status="done"), timeout=120, what="the resumed import", log=worker.log)
    done = ImportBatch.objects.get(pk=batch["id"])
    assert (done.attempts, done.processed_count, done.created_count, done.duplicate_count) == (2, count, count, 0)
    assert Article.objects.count() == count
    assert Item.objects.filter(project=project).count() == count


def test_with_the_broker_down_imports_runs_and_releases_are_saved_said_unqueued_and_swept_once_it_is_back(
        workers, manager_client, settings, tmp_path):
    require_postgresql()
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    queue = new_queue()
    saved = use_broker(redis.url, queue)
    try:
        _broker_outage(redis, queue, workers, manager_client, settings)
    finally:
        redis.stop()
        restore_broker(saved)


def _broker_outage(redis, queue, workers, client, settings):
    project = factories.ProjectFactory(overlap=1)
    project.predictors.create(kind="gazetteer", options={"terms": {"Portvale": "GPE"}})
    project.memberships.create(user=client.handler._force_user, role="manager")
    factories.ItemFactory.create_batch(3, project=project)
    redis.stop()

    batch = post_import(client, [article(n) for n in range(60)])
    assert (batch["status"], batch["queued"]) == ("pending", False)
    runs = client.post(f"/api/projects/{project.pk}/preannotation-runs/", {}, format="json")
    assert runs.status_code == 202, runs.content
    assert [(run["status"], run["queued"]) for run in runs.json()] == [("interrupted", False)]
    release = client.post(f"/api/projects/{project.pk}/releases/", {"export_format": "jsonl", "gold_only": False},
                          format="json")
    assert release.status_code == 202, release.content
    assert (release.json()["status"], release.json()["queued"]) == ("pending", False)

    redis.start()
    worker = workers(queue, broker_url=redis.url)
    settings.INGEST_STALE_AFTER = 0
    settings.RELEASE_REQUEUE_AFTER = 0
    assert import_batches_sweep() == [batch["id"]]
    assert preannotation_sweep()
    assert releases_sweep() == [Release.objects.get(project=project).pk]

    wait_for(batch_where(batch["id"], status="done", created_count=60), timeout=90, what="the import",
             log=worker.log)
    wait_for(lambda: Release.objects.filter(project=project, status="done").exists(), timeout=60,
             what="the release", log=worker.log)
    items = Item.objects.filter(project=project)
    wait_for(lambda: Prediction.objects.filter(item__project=project).count() == items.count() == 63, timeout=90,
             what="a prediction for every item, the imported ones too", log=worker.log)


def test_database_connections_terminated_under_an_import_do_not_stop_it(
        worker_queue, workers, manager_client, settings):
    project = factories.ProjectFactory(overlap=1)
    worker = workers(worker_queue)
    count = 4000
    batch = post_import(manager_client, [article(n) for n in range(count)])
    wait_for(batch_where(batch["id"], processed_count__gte=100), timeout=90, what="the first chunks", log=worker.log)
    terminated = terminate_connections(WORKER_APP_NAME, times=6, pause=0.7)
    assert terminated > 0, "the worker's connections should have been found and terminated"

    wait_for(batch_where(batch["id"], status="done"), timeout=120, what="the import to complete", log=worker.log)
    done = ImportBatch.objects.get(pk=batch["id"])
    assert (done.processed_count, done.created_count, done.failed_count) == (count, count, 0)
    assert Item.objects.filter(project=project).count() == Article.objects.count() == count
    assert "database connection lost" in worker.log.read_text()


def test_an_article_a_worker_imported_is_found_by_search_once_its_vector_job_ran(
        worker_queue, workers, manager_client):
    from ingest.selectors import article_search

    worker = workers(worker_queue)
    batch = post_import(manager_client, [article(n) for n in range(60)] + [article(60, title="Lighthouse keeper")])
    wait_for(batch_where(batch["id"], status="done"), timeout=90, what="the import", log=worker.log)
    wait_for(batch_where(batch["id"], search_indexed_count=61), timeout=90, what="the search vectors",
             log=worker.log)
    assert manager_client.get(f"/api/imports/{batch['id']}/").json()["search_pending"] == 0
    found = article_search(Article.objects.all(), "lighthouse keeper").values_list("title", flat=True)
    assert list(found) == ["Lighthouse keeper"]
