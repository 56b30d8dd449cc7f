"""The scale benchmark's harness at a tiny size: the corpus stream, and one checkpoint of 300
articles run for real (import, seeding, gunicorn and a Celery worker, the queue's clients, the
export child), so that its code cannot rot unseen. No figure is compared with a target here."""

import json
from collections import Counter

import pytest

from benchmarks.scale import exporting, report, run
from benchmarks.scale.importing import Timeline
from benchmarks.scale.wire import Shares, WireCorpus
from tests.pipeline import PrivateRedis, new_queue, require_postgresql, restore_broker, use_broker

SIZE = 300


def test_the_corpus_stream_is_reproducible_and_holds_duplicates_and_wire_copy():
    first = list(WireCorpus(3, Shares(wire=0.5, live_stories=4, copies=20)).records(400))
    again = list(WireCorpus(3, Shares(wire=0.5, live_stories=4, copies=20)).records(400))
    assert first == again
    texts = Counter(record["text"].split("\n\n", 1)[1] for record in first)
    assert max(texts.values()) > 1  # exact duplicates (the same body under other page junk)
    paragraphs = Counter(paragraph for record in first for paragraph in set(record["text"].split("\n\n")))
    assert max(paragraphs.values()) >= 20  # an agency story's paragraph in many outlets' copies
    assert {"title", "text", "source", "url", "published", "language"} <= set(first[0])


def test_the_work_after_a_batch_s_last_article_is_shared_among_its_articles():
    timeline = Timeline(points=[(0, 0.0), (100, 1.0), (150, 1.5), (200, 2.0)])

    timeline.batch_end(2, 3.0)  # a batch of articles 100-200 ended a second after its last one

    assert timeline.points == [(0, 0.0), (100, 1.0), (150, 2.0), (200, 3.0)]
    assert timeline.marginal_ms(200, window=100) == 20.0


@pytest.mark.pipeline
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_tiny_checkpoint_measures_every_figure(settings, tmp_path, monkeypatch):
    require_postgresql()
    monkeypatch.setattr(exporting, "RELEASE_TIMEOUT_S", 120)  # a hung build fails the test, not the suite
    # A Redis of the test's own: the benchmark's worker serves every routed queue, which on a shared
    # Redis would take other runs' tasks (and they its own).
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    settings.CELERY_TASK_DEFAULT_QUEUE = queue = new_queue()
    saved = use_broker(redis.url, queue)
    try:
        _one_checkpoint(tmp_path)
    finally:
        restore_broker(saved)
        redis.stop()


def _one_checkpoint(tmp_path):
    args = run.parse(["--quick", "--sizes", str(SIZE), "--samples", "1", "--steady-seconds", "5",
                      "--saturated-seconds", "1", "--out", str(tmp_path / "scale.json")])
    (tmp_path / "work").mkdir()
    result = run.run(args, tmp_path / "work")
    report.write_json(result, args.out)

    checkpoint = result["checkpoints"][str(SIZE)]
    # The server settings the figures depend on are recorded with them.
    assert {"shared_buffers", "max_wal_size", "autovacuum"} <= set(result["database_server"])
    missing = [label for label, _, values, _ in report.rows(result) if values[0] is None]
    # The worker may have built every search vector before the wait began: no rate to give then.
    caught_up = (checkpoint.get("search_lag") or {}).get("pending") == 0
    assert missing == (["search vectors, worker"] if caught_up else [])
    assert checkpoint["import"]["created"] + checkpoint["import"]["duplicates"] == SIZE
    assert checkpoint["import"]["failed"] == 0
    assert checkpoint["browser"] is not None  # the item browser page was found and measured
    timed = {**checkpoint["pages"], **checkpoint["lists"], **checkpoint["browser"]}
    assert {name: figure["errors"] for name, figure in timed.items() if figure["errors"]} == {}
    assert checkpoint["queue"]["errors"] == 0
    # Every steady client starts within its first 2 s and asks for work at least once.
    assert checkpoint["queue"]["steady"]["next"]["requests"] >= 50
    assert checkpoint["release"]["status"] == "done", (checkpoint["release"],
                                                       (tmp_path / "work" / "worker.log").read_text()[-3000:])
    gold = checkpoint["labels"]["gold_items"]
    assert gold == SIZE // 4
    assert checkpoint["release"]["documents"] == gold
    assert {fmt: export["documents"] for fmt, export in checkpoint["exports"].items()} == {"jsonl": gold, "conll": gold}
    for process in ("web", "worker"):
        assert checkpoint["memory"]["peak"][process]["pss_mb"] > 0
    written = json.loads(args.out.read_text())
    assert [verdict["met"] in (True, False) for verdict in written["verdicts"]] == [True] * len(written["verdicts"])
