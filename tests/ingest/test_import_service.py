"""The import service against the database: create, dedupe, cluster, fail per item, re-run."""

import pytest

from ingest import chunks, services
from ingest.models import Article, ImportBatch, ImportRecord, StoryBandKey, StoryCluster
from ingest.readers import read_records
from ingest.readers.base import ReadError
from ingest.signals import batch_imported
from newsroom.errors import Conflict
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db


def record(paragraphs, **fields):
    return {"title": fields.pop("title", " ".join(paragraphs[0].split()[:6])), "text": text(paragraphs), **fields}


def run(records, **batch_fields):
    batch = services.import_batch_create(**batch_fields)
    return services.import_batch_run(batch=batch, results=read_records(records))


def test_import_creates_articles_with_source_and_band_keys():
    batch = run([record(WIRE, source="Northwind Wire", url="https://wire.example/pier")])
    assert (batch.status, batch.created_count, batch.processed_count) == ("done", 1, 1)
    article = Article.objects.get()
    assert article.source.name == "Northwind Wire"
    assert article.source.domain == "wire.example"
    assert article.body.startswith("The harbour authority of Portvale")
    assert article.raw_text == text(WIRE)
    assert article.import_batch == batch
    assert StoryBandKey.objects.filter(article=article).count() == 64


def test_reimporting_the_same_input_adds_nothing_and_links_duplicates():
    first = run([record(WIRE), record(SAME_EVENT)])
    second = run([record(WIRE), record(SAME_EVENT)])
    assert Article.objects.count() == 2
    assert (second.created_count, second.duplicate_count) == (0, 2)
    linked = set(second.records.values_list("article_id", flat=True))
    assert linked == set(first.articles.values_list("id", flat=True))


def test_duplicate_within_one_batch_points_at_the_first_copy():
    batch = run([record(WIRE, title="One"), record(WIRE, title="Two")])
    article = Article.objects.get()
    duplicate = batch.records.get()
    assert (duplicate.outcome, duplicate.article_id, duplicate.origin) == ("duplicate", article.pk, "request:2")


def test_a_bad_item_is_reported_and_the_rest_imported():
    batch = run([record(WIRE), {"title": "No text here"}, "not an object", record(SAME_EVENT)])
    assert (batch.created_count, batch.failed_count) == (2, 2)
    failures = list(batch.records.filter(outcome=ImportRecord.Outcome.FAILED).values_list("origin", flat=True))
    assert failures == ["request:2", "request:3"]
    assert all(batch.records.values_list("message", flat=True))


def test_syndicated_rewrite_joins_the_story_and_other_story_stays_out(settings):
    settings.INGEST_CHUNK_SIZE = 1  # the rewrite must find the wire story across chunks too
    batch = run([record(WIRE), record(SAME_EVENT), record(REWRITE)])
    wire, other, rewrite = Article.objects.order_by("id")
    assert wire.story_cluster_id is not None
    assert rewrite.story_cluster_id == wire.story_cluster_id
    assert other.story_cluster_id is None
    assert batch.near_duplicate_count == 1


def test_rewrite_in_a_later_batch_joins_the_existing_cluster():
    run([record(WIRE), record(REWRITE)])
    later = run([record(REWRITE[:4] + ["A new closing paragraph about the ferry timetable for next week."])])
    clusters = set(Article.objects.values_list("story_cluster_id", flat=True))
    assert len(clusters) == 1 and None not in clusters
    assert later.near_duplicate_count == 1


def test_an_article_stored_by_a_concurrent_import_after_our_check_counts_as_a_duplicate(monkeypatch):
    run([record(WIRE)])
    check, calls = chunks._split_duplicates, []

    def blind_first_time(items):  # as if the other import committed right after our look-up
        calls.append(items)
        return (list(items), [], {}) if len(calls) == 1 else check(items)

    monkeypatch.setattr(chunks, "_split_duplicates", blind_first_time)
    batch = run([record(WIRE)])
    assert len(calls) == 2
    assert (batch.created_count, batch.duplicate_count, Article.objects.count()) == (0, 1, 1)
    assert StoryCluster.objects.count() == 0  # the failed attempt's cluster was rolled back


def test_failed_read_errors_from_readers_are_recorded():
    batch = services.import_batch_create()
    services.import_batch_run(batch=batch, results=[ReadError("feed.jsonl:3", "line 3 is not valid JSON")])
    record_ = batch.records.get()
    assert (record_.origin, record_.message, record_.outcome) == ("feed.jsonl:3", "line 3 is not valid JSON",
                                                                 "failed")
    assert batch.failed_count == 1


def test_record_source_wins_over_batch_default():
    run([record(WIRE, source="Harbor Ledger"), record(SAME_EVENT)], source_name="Valley Courier")
    names = dict(Article.objects.values_list("title", "source__name"))
    assert names["The harbour authority of Portvale voted"] == "Harbor Ledger"
    assert names["Portvale's ferry pier has been closed,"] == "Valley Courier"


def test_batch_runs_only_once():
    batch = run([record(WIRE)])
    with pytest.raises(Conflict):
        services.import_batch_run(batch=batch, results=[])
    assert ImportBatch.objects.get().created_count == 1


def test_progress_is_reported_per_chunk(settings):
    settings.INGEST_CHUNK_SIZE = 2
    seen = []
    batch = services.import_batch_create(total=3)
    services.import_batch_run(batch=batch, results=read_records([record(WIRE), record(SAME_EVENT), record(REWRITE)]),
                              on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 3), (3, 3)]


def test_signal_is_sent_once_the_articles_are_stored_and_before_the_batch_says_done():
    received = []

    def handler(sender, batch, **kwargs):
        received.append((ImportBatch.objects.get(pk=batch.pk).status, batch.articles.count()))

    batch_imported.connect(handler)
    try:
        batch = run([record(WIRE)])
    finally:
        batch_imported.disconnect(handler)
    assert received == [(ImportBatch.Status.RUNNING, 1)]
    assert batch.status == ImportBatch.Status.DONE
