"""Imports as jobs: resumed after a crash from the last committed chunk, offered to projects per
chunk, bad records failing alone, chunks bounded by bytes, stranded batches swept."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from kombu.exceptions import OperationalError as BrokerUnreachable
from rest_framework.test import APIClient

from annotations.models import Item
from ingest import jobs, services
from ingest.models import Article, ImportBatch, ImportRecord
from ingest.readers import read_records
from ingest.tasks import import_batch_run_task
from newsroom.celery import app
from tests import factories
from tests.ingest.records import article, jsonl

pytestmark = pytest.mark.django_db

def stored_batch(records: list[dict]) -> ImportBatch:
    path = default_storage.save("imports/test/feed.jsonl",
                                ContentFile(jsonl(records)))
    return services.import_batch_create(inputs=[{"name": "feed.jsonl", "stored": path}], fmt="jsonl")


class WorkerDied(BaseException):
    """Stands for a SIGKILL: nothing after it runs, not even the service's error handling."""


def crash_after(results, count: int):
    for n, result in enumerate(results):
        if n == count:
            raise WorkerDied
        yield result


def test_a_run_that_died_is_resumed_by_the_sweep_from_its_last_committed_chunk(settings, monkeypatch):
    settings.INGEST_CHUNK_SIZE = 4
    project = factories.ProjectFactory()
    batch = stored_batch([article(n) for n in range(10)])
    monkeypatch.setattr(services, "batch_give_up", lambda *args: None)  # a dead worker cleans nothing up
    with pytest.raises(WorkerDied):
        services.import_batch_run(batch=batch, results=crash_after(services.import_batch_inputs_read(batch=batch), 9))
    batch.refresh_from_db()
    assert (batch.status, batch.processed_count, batch.cursor) == ("running", 4, {"records": 4, "origin": "feed.jsonl:4"})
    assert Item.objects.filter(project=project).count() == 4, "a committed chunk is offered at once"

    settings.INGEST_STALE_AFTER = 0
    assert jobs.import_batches_sweep() == [batch.pk]  # eager: the resumed run happens here
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.processed_count, batch.created_count) == ("done", 2, 10, 10)
    assert Article.objects.count() == 10
    assert Item.objects.filter(project=project).count() == 10


def test_reimporting_after_a_crash_offers_what_the_crashed_run_stored(settings, monkeypatch):
    settings.INGEST_CHUNK_SIZE = 2
    records = [article(n) for n in range(6)]
    monkeypatch.setattr(services, "batch_give_up", lambda *args: None)
    crashed = services.import_batch_create()
    project = factories.ProjectFactory()
    with pytest.raises(WorkerDied):
        services.import_batch_run(batch=crashed, results=crash_after(read_records(records), 4))
    assert Article.objects.count() == 2
    Item.objects.all().delete()  # as if the offers had been lost (the former behaviour)
    again = services.import_batch_run(batch=services.import_batch_create(), results=read_records(records))
    assert (again.created_count, again.duplicate_count) == (4, 2)
    assert Item.objects.filter(project=project).count() == 6


def test_a_batch_is_claimed_once_and_a_second_message_does_nothing():
    batch = stored_batch([article(1)])
    import_batch_run_task.delay(batch.pk)
    import_batch_run_task.delay(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.created_count, batch.processed_count) == ("done", 1, 1, 1)


def test_a_nul_is_removed_from_its_record_and_reported(settings):
    good, bad = article(1), article(2)
    bad["text"] = bad["text"][:40] + "\u0000" + bad["text"][40:]
    bad["title"] = "Nul\u0000title"
    batch = services.import_batch_run(batch=services.import_batch_create(), results=read_records([good, bad]))
    assert (batch.created_count, batch.failed_count) == (2, 0)
    assert not any("\u0000" in body for body in Article.objects.values_list("body", flat=True))
    repaired = batch.records.get()
    assert (repaired.outcome, repaired.origin) == ("repaired", "request:2")
    assert "text 1" in repaired.message and "title 1" in repaired.message
    assert repaired.article.title == "Nultitle"


def test_a_record_the_database_refuses_fails_alone_and_the_rest_of_its_chunk_commits(settings):
    settings.INGEST_CHUNK_SIZE = 5
    records = [article(n) for n in range(5)]
    records[3]["url"] = "https://example.com/" + "x" * 3000  # longer than Article.url holds: a DataError
    batch = services.import_batch_run(batch=services.import_batch_create(), results=read_records(records))
    assert (batch.status, batch.created_count, batch.failed_count, batch.processed_count) == ("done", 4, 1, 5)
    failure = batch.records.get()
    assert (failure.outcome, failure.origin) == ("failed", "request:4")
    assert "could not be stored" in failure.message


def test_chunks_are_bounded_by_bytes_as_well_as_by_count(settings):
    settings.INGEST_CHUNK_SIZE = 100
    settings.INGEST_CHUNK_MAX_BYTES = 7000  # two of these articles (about 1,000 characters, weighed thrice)
    seen = []
    batch = services.import_batch_create(total=5)
    services.import_batch_run(batch=batch, results=read_records([article(n) for n in range(5)]),
                              on_progress=lambda done, total: seen.append(done))
    assert seen == [2, 4, 5]


def test_the_api_keeps_the_good_record_of_two_when_one_holds_a_nul(manager):
    client = APIClient()
    client.force_authenticate(manager)
    bad = article(2)
    bad["text"] = "\u0000" + bad["text"]
    response = client.post("/api/imports/", [article(1), bad], format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["created_count"], response.json()["queued"]) == (2, True)


def test_an_unreachable_broker_leaves_the_import_pending_and_says_so_and_the_sweep_sends_it(
        settings, manager, monkeypatch):
    settings.INGEST_SYNC_MAX_BYTES = 10
    client = APIClient()
    client.force_authenticate(manager)

    def refused(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6391. Connection refused.")

    monkeypatch.setattr(import_batch_run_task, "delay", refused, raising=False)
    app.conf.task_always_eager = False
    try:
        response = client.post("/api/imports/", [article(1), article(2)], format="json")
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["queued"]) == ("pending", False)

    monkeypatch.undo()  # the broker is back
    settings.INGEST_STALE_AFTER = 0
    assert jobs.import_batches_sweep() == [response.json()["id"]]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_count) == ("done", 2)


def test_the_sweep_fails_a_stranded_batch_whose_files_were_not_kept(settings, monkeypatch):
    monkeypatch.setattr(services, "batch_give_up", lambda *args: None)
    batch = services.import_batch_create(inputs=[{"name": "/data/feed.jsonl"}])  # as the command makes it
    with pytest.raises(WorkerDied):
        services.import_batch_run(batch=batch, results=crash_after(read_records([article(1), article(2)]), 1))
    settings.INGEST_STALE_AFTER = 0
    assert jobs.import_batches_sweep() == []
    batch.refresh_from_db()
    assert batch.status == "failed" and "import them again" in batch.error


def test_the_command_reports_a_nul_record_instead_of_a_traceback(tmp_path):
    feed = tmp_path / "feed.jsonl"
    bad = article(2)
    bad["text"] = bad["text"] + "\u0000"
    feed.write_bytes(jsonl([article(1), bad]))
    call_command("import_articles", str(feed))
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_count) == ("done", 2)
    assert batch.records.get().outcome == ImportRecord.Outcome.REPAIRED


def test_a_nul_record_in_a_5000_record_import_leaves_the_other_4999_committed():
    records = [article(n) for n in range(5000)]
    records[2500]["text"] = records[2500]["text"].replace(" ", " \u0000", 1)
    batch = services.import_batch_run(batch=services.import_batch_create(), results=read_records(records))
    assert (batch.status, batch.processed_count, batch.failed_count) == ("done", 5000, 0)
    assert batch.created_count == Article.objects.count() == 5000  # the 4,999 and the repaired one
    assert list(batch.records.values_list("origin", "outcome")) == [("request:2501", "repaired")]
