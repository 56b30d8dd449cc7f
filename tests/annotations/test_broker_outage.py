"""Jobs created while the broker is unreachable: saved, said to be unqueued, sent by a sweep
later (the real outage, with a worker and a stopped redis-server, is in tests/ingest/test_pipeline_faults.py)."""

import pytest
from kombu.exceptions import OperationalError as BrokerUnreachable

from annotations.datasets.exports import ExportFilters
from annotations.datasets.releases import release_create, releases_sweep
from annotations.models import PreannotationRun, Release
from annotations.preannotation.runs import UNQUEUED_ERROR, preannotation_enqueue
from annotations.tasks import preannotate_batch_task, release_build_task
from newsroom.celery import app
from tests.factories import ItemFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Sending any of these tasks fails as kombu fails when Redis refuses the connection."""
    def refused(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6391. Connection refused.")

    for task in (release_build_task, preannotate_batch_task):
        monkeypatch.setattr(task, "delay", refused, raising=False)
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_a_release_created_while_the_broker_is_down_is_saved_pending_and_said_unqueued(
        broker_down, django_capture_on_commit_callbacks):
    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        release = release_create(project=project, user=UserFactory(), export_format="jsonl",
                                 filters=ExportFilters(gold_only=False))
    assert (release.status, release.queued) == ("pending", False)


def test_the_sweep_builds_a_release_left_pending(settings):
    project = ProjectFactory()
    ItemFactory(project=project)
    release = Release.objects.create(project=project, version=1, export_format="jsonl",
                                     filters={"gold_only": False})
    settings.RELEASE_REQUEUE_AFTER = 3600
    assert releases_sweep() == []  # young: its message may still be on its way
    settings.RELEASE_REQUEUE_AFTER = 0
    assert releases_sweep() == [release.pk]  # eager: built here
    release.refresh_from_db()
    assert (release.status, release.document_count) == ("done", 1)


def test_a_run_whose_batches_cannot_be_sent_is_interrupted_saying_why(broker_down,
                                                                     django_capture_on_commit_callbacks):
    project = ProjectFactory()
    project.predictors.create(kind="gazetteer", options={"terms": {"Portvale": "GPE"}})
    ItemFactory.create_batch(2, project=project)
    with django_capture_on_commit_callbacks(execute=True):
        [run] = preannotation_enqueue(project=project)
    assert (run.status, run.queued, run.error) == ("interrupted", False, UNQUEUED_ERROR)
    assert PreannotationRun.objects.get().status == "interrupted"
