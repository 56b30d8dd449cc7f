"""The pipeline with real parts: a `celery -A newsroom worker` process on Redis, PostgreSQL,
the spaCy and VADER predictors. A worker killed in the middle of a run loses nothing: a
restart plus the sweep completes the run, with no duplicate predictions."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from annotations.models import Item, Prediction, PreannotationRun
from annotations.preannotation.runs import preannotation_sweep
from ingest.readers import read_records
from ingest.services import import_batch_create, import_batch_run
from newsroom.celery import app
from tests import factories

pytestmark = [pytest.mark.pipeline, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
ARTICLES = 48
PREDICTORS = ("spacy-ner", "vader-sentiment")
SENTENCES = [
    "Mayor Ana Reyes of Portvale praised the harbour workers for a remarkable recovery after the storm.",
    "The Harbour Board under chair Tomas Lind was criticised for slow repairs and wasted money.",
    "Councillor Idris Mwangi said the new ferry line to Eastland would open in the spring.",
    "Residents in Northgate complained that the bridge closure had hurt local shops badly.",
    "The Eastland Chamber of Commerce welcomed the plan and promised to support the port.",
]


def _article_text(n: int) -> str:
    # About 300 words per article: long enough that a run takes a few seconds on one worker.
    return " ".join(SENTENCES[(n + i) % len(SENTENCES)] for i in range(20)) + f" Report number {n}."


@pytest.fixture
def broker():
    """Send tasks to Redis on a queue of this test's own, and clear it afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("A worker process shares the test database only on PostgreSQL (CI runs on it).")
    queue = f"newsroom-test-{uuid.uuid4().hex[:8]}"
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=BROKER_URL, task_default_queue=queue)
    _rebuild_broker_state()
    yield queue
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    app.conf.update(saved)
    _rebuild_broker_state()


def _rebuild_broker_state() -> None:
    """Celery builds its connection pool, queues and router once, on first use, from the conf of
    that moment; an earlier test may have done so. Drop them so the conf set here applies (kombu
    keeps its pools per broker URL, so the old ones stay usable for the old URL)."""
    app._pool = None
    app.__dict__.pop("amqp", None)


class Worker:
    """A real `celery -A newsroom worker` process on the test database."""

    def __init__(self, queue: str, log: Path):
        self.queue, self.log, self.process = queue, log, None

    def start(self) -> None:
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": BROKER_URL,
               "CELERY_TASK_ALWAYS_EAGER": "false", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
        command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-P", "prefork", "-c", "1",
                   "-Q", self.queue, "--without-heartbeat", "--without-gossip", "--without-mingle",
                   "-l", "INFO", "-n", f"{self.queue}-{time.monotonic_ns()}@%h"]
        handle = self.log.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and its children: no warm shutdown, unacknowledged messages stay lost."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(broker, tmp_path):
    worker = Worker(broker, tmp_path / "worker.log")
    yield worker
    worker.stop()


def _wait_for(condition, *, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\nWorker log:\n{log.read_text()[-4000:]}")
        time.sleep(0.05)


def test_killed_worker_then_restart_and_sweep_complete_the_run_without_duplicates(worker, settings):
    settings.PREANNOTATION_BATCH_SIZE = 4
    project = factories.ProjectFactory(overlap=1)
    for kind in PREDICTORS:
        project.predictors.create(kind=kind)
    worker.start()
    records = [{"title": f"Harbour report {n}", "text": _article_text(n)} for n in range(ARTICLES)]
    batch = import_batch_create(inputs=[{"name": "request"}], fmt="json", source_name="Eastland Wire",
                                total=ARTICLES)
    import_batch_run(batch=batch, results=read_records(records))  # commits: the receiver enqueues batches
    total = Item.objects.filter(project=project).count() * len(PREDICTORS)
    assert total == ARTICLES * len(PREDICTORS)

    stored = lambda: Prediction.objects.filter(item__project=project).count()  # noqa: E731
    _wait_for(lambda: stored() >= 8, timeout=120, what="the first predictions", log=worker.log)
    worker.kill()
    in_the_middle = stored()
    assert 8 <= in_the_middle < total, "the worker should be killed with the run unfinished"
    assert PreannotationRun.objects.filter(project=project, status="running").exists()

    worker.start()
    settings.PREANNOTATION_STALE_AFTER = 0  # the killed worker's runs are stale at once
    sweep_runs = preannotation_sweep()
    assert {run.predictor for run in sweep_runs} <= set(PREDICTORS) and sweep_runs
    _wait_for(lambda: stored() == total, timeout=240, what="every prediction", log=worker.log)

    keys = list(Prediction.objects.filter(item__project=project).values_list("item", "predictor", "version"))
    assert len(keys) == len(set(keys)) == total
    runs = PreannotationRun.objects.filter(project=project)
    assert set(runs.filter(trigger="import").values_list("status", flat=True)) == {"interrupted"}
    _wait_for(lambda: not runs.filter(trigger="sweep").exclude(status="done").exists(), timeout=30,
              what="the sweep's runs to finish", log=worker.log)
    sample = Prediction.objects.select_related("item__article").filter(item__project=project,
                                                                       predictor="spacy-ner").first()
    body = sample.item.article.body
    assert all(body[span["start"]:span["end"]] == span["text"] for span in sample.labels["spans"])
    assert ("Tomas Lind", "PERSON") in {(span["text"], span["label"]) for span in sample.labels["spans"]}
