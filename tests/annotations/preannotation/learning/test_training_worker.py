"""Training with real parts: a `celery -A newsroom worker` reading only the training queue, on
Redis and PostgreSQL. Trainings are routed there; a training whose worker died is handed back by
the sweep and finished, leaving no half version."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.models import ModelVersion
from annotations.preannotation.learning.schedule import model_versions_sweep
from annotations.preannotation.learning.versions import model_version_create
from newsroom.celery import app
from tests import factories
from tests.pipeline import BROKER_URL, Worker, new_queue, require_postgresql, restore_broker, use_broker, wait_for

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
def worker(training_queue, tmp_path):
    """A worker consuming the training queue only (-Q), as a deployment's training worker does."""
    worker = Worker(training_queue, tmp_path / "worker.log", env={"MODEL_TRAINING_QUEUE": training_queue})
    yield worker
    worker.stop()


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
