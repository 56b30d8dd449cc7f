"""Training with real parts: a `celery -A newsroom worker` reading only the training queue, on
Redis and PostgreSQL. Trainings are routed there; a training whose worker died is handed back by
the sweep and finished, leaving no half version; a training over its memory or time limit fails
cleanly, with the reason, and neither beat nor the sweep starts it again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.gold import gold_accept
from annotations.models import GoldSplit, ModelVersion
from annotations.preannotation.learning.schedule import model_versions_due, model_versions_sweep
from annotations.preannotation.learning.versions import model_version_create
from annotations.tasks import MODEL_TRAINING_HARD_LIMIT_MARGIN, model_version_train_task
from annotations.validation import SpanInput
from newsroom.celery import app
from tests import factories
from tests.pipeline import BROKER_URL, Worker, new_queue, require_postgresql, restore_broker, use_broker, wait_for

from .conftest import ENTITY_TYPES, NER_HELD_OUT, NER_TRAIN
from .gold import sentiment_gold

pytestmark = [pytest.mark.pipeline, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
TRAIN_TASK = "annotations.model_version_train"


@pytest.fixture
def training_queue():
    """Send tasks to Redis: trainings to a training queue of this test's own, everything else to
    another queue no worker reads. Both cleared afterwards."""
    require_postgresql()
    default, training = new_queue(), f"{new_queue()}-training"
    saved = use_broker(BROKER_URL, default, routes={TRAIN_TASK: training})
    yield training
    with app.connection_for_write() as conn:
        for queue in (default, training):
            conn.default_channel.queue_purge(queue)
    restore_broker(saved)


@pytest.fixture
def worker_with(training_queue, tmp_path):
    """A worker consuming the training queue only (-Q), as a deployment's training worker does,
    with the settings given (environment variables)."""
    workers = []

    def start(**env):
        worker = Worker(training_queue, tmp_path / "worker.log", env={"MODEL_TRAINING_QUEUE": training_queue, **env})
        workers.append(worker)
        return worker
    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(worker_with):
    return worker_with()


def _status(version) -> str:
    return ModelVersion.objects.get(pk=version.pk).status


def test_a_training_runs_on_the_training_queue_and_a_lost_one_is_recovered_by_the_sweep(worker, settings):
    project = factories.ProjectFactory()
    gold = sentiment_gold(project)
    worker.start()

    version = model_version_create(project=project, kind="sentiment")
    assert version.queued is True
    wait_for(lambda: _status(version) == "done", timeout=120, what="the training on the training queue",
             log=worker.log)
    version.refresh_from_db()
    assert version.live and version.artifact and version.held_out_count == len(gold["held_out"])

    # A worker killed mid-training leaves its version "training", with no artifact referenced.
    lost = model_version_create(project=project, kind="topics")
    wait_for(lambda: _status(lost) == "done", timeout=120, what="the topics training", log=worker.log)
    ModelVersion.objects.filter(pk=lost.pk).update(status="training", artifact="", live=False,
                                                   started_at=timezone.now() - timedelta(hours=2))
    settings.MODEL_TRAINING_STALE_AFTER = 60 * 60
    assert model_versions_sweep() == [lost.pk]  # handed back to pending and sent again
    wait_for(lambda: _status(lost) == "done", timeout=120, what="the recovered training", log=worker.log)
    lost.refresh_from_db()
    assert lost.attempts == 2 and lost.artifact and lost.live


def _failed_cleanly(version, worker, *, error: str) -> ModelVersion:
    """The version failed with ``error`` in its record, no model stored, and nothing starts it again."""
    wait_for(lambda: _status(version) == "failed", timeout=120, what="the training to fail", log=worker.log)
    version.refresh_from_db()
    assert error in version.error, version.error
    assert not version.artifact and not version.live and version.attempts == 1
    assert model_versions_sweep() == []  # not handed back: a failed version stays failed
    assert [v for v in model_versions_due() if v.kind == version.kind] == []  # no new gold: not retried
    return version


def test_a_training_over_its_memory_limit_fails_cleanly_and_is_not_retried(worker_with, settings):
    settings.MODEL_RETRAIN_MIN_NEW_GOLD = 1
    project = factories.ProjectFactory()
    sentiment_gold(project)
    # One train-side article of about 8 MB: its words and word pairs need far more than 64 MB.
    words = " ".join(f"word{n % 50000}" for n in range(800_000))
    item = factories.ItemFactory(project=project, gold_split=GoldSplit.TRAIN,
                                 article=factories.ArticleFactory(body=f"Shares soared. {words}"))
    gold_accept(item=item, reviewer=None, sentiment="positive")
    worker = worker_with(MODEL_TRAINING_MAX_MEMORY_MB="64")
    worker.start()

    version = model_version_create(project=project, kind="sentiment")

    _failed_cleanly(version, worker, error="Training ran out of memory: it may use at most 64 MB")
    assert not ModelVersion.objects.filter(project=project, kind="sentiment", status="done").exists()


def test_a_training_over_its_time_limit_fails_cleanly_and_is_not_retried(worker_with, settings, monkeypatch):
    settings.MODEL_RETRAIN_MIN_NEW_GOLD = 1
    # A task's time limits travel in its message, set by the sender from its own settings; the
    # worker names the same setting in the version's error.
    task = model_version_train_task._get_current_object()
    monkeypatch.setattr(task, "soft_time_limit", 2)
    monkeypatch.setattr(task, "time_limit", 2 + MODEL_TRAINING_HARD_LIMIT_MARGIN)
    monkeypatch.delattr(task, "_exec_options", raising=False)  # Celery caches the options it sends
    project = factories.ProjectFactory(schema=False)
    for name in ENTITY_TYPES:
        project.entity_types.create(name=name)
    for examples, side in ((NER_TRAIN, GoldSplit.TRAIN), (NER_HELD_OUT, GoldSplit.HELD_OUT)):
        for text, spans in examples:
            item = factories.ItemFactory(project=project, gold_split=side, article=factories.ArticleFactory(body=text))
            gold_accept(item=item, reviewer=None, spans=[SpanInput(start, end, label, text[start:end])
                                                         for start, end, label in spans])
    worker = worker_with(MODEL_TRAINING_SOFT_TIME_LIMIT="2")
    worker.start()

    # Far more epochs than two seconds allow, and no time bound of the learner's own.
    version = model_version_create(project=project, kind="ner", settings={"epochs": 100_000, "max_seconds": 100_000})

    _failed_cleanly(version, worker, error="Training took longer than 2 s (MODEL_TRAINING_SOFT_TIME_LIMIT)")
