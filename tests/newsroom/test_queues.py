"""One Celery queue per kind of work: every task of the project is routed (a new task cannot be
forgotten), each kind goes to its own queue, and with a real worker per queue each kind runs on
the worker of its queue, while a kind whose worker is not running waits for it alone."""

import re
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.datasets.exports import ExportFilters
from annotations.datasets.releases import release_create
from annotations.models import ModelVersion, Prediction, Release
from annotations.preannotation.learning.versions import model_version_create
from ingest.models import ImportBatch
from newsroom.celery import app
from newsroom.management.commands.demo import _worker_command as demo_worker_command
from tests import factories
from tests.annotations.preannotation.learning.gold import sentiment_gold
from tests.ingest.records import jsonl
from tests.pipeline import BROKER_URL, Worker, new_queue, require_postgresql, restore_broker, use_broker, wait_for

# The queue each kind of work goes to, by the setting that names it.
KIND_SETTINGS = {"ingest": "INGEST_QUEUE", "preannotate": "PREANNOTATION_QUEUE", "training": "MODEL_TRAINING_QUEUE",
                 "export": "EXPORT_QUEUE"}
# The tasks that do each kind of work.
KIND_TASKS = {"ingest": {"ingest.import_batch_run", "ingest.import_batch_search_build"},
              "preannotate": {"annotations.preannotate_batch"},
              "training": {"annotations.model_version_train"},
              "export": {"annotations.release_build", "annotations.project_agreement_refresh"}}
RECEIVED = re.compile(r"Task (\S+)\[[0-9a-f-]+\] received")


def project_tasks() -> set[str]:
    """Every task the project registers (Celery's own built-ins aside)."""
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def routed_queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_of_the_project_is_routed_and_every_route_names_a_task():
    tasks = project_tasks()

    assert tasks >= {"ingest.import_batch_run", "annotations.preannotate_batch", "annotations.release_build"}
    assert tasks - set(settings.NEWSROOM_TASK_QUEUES) == set(), "a task with no queue in NEWSROOM_TASK_QUEUES"
    assert set(settings.NEWSROOM_TASK_QUEUES) - tasks == set(), "a route for a task that does not exist"


def test_each_kind_of_work_goes_to_its_own_queue_and_the_rest_to_the_default_queue():
    kinds = {kind: getattr(settings, name) for kind, name in KIND_SETTINGS.items()}
    heavy = set().union(*KIND_TASKS.values())

    assert kinds == {"ingest": "ingest", "preannotate": "preannotate", "training": "training", "export": "export"}
    for kind, names in KIND_TASKS.items():
        assert {routed_queue(name) for name in names} == {kinds[kind]}, kind
    light = project_tasks() - heavy
    assert light and {routed_queue(name) for name in light} == {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert all(name.endswith(("_sweep", "_expire", "_due")) for name in light), light


def test_a_worker_without_queues_serves_them_all_and_each_queue_has_its_own_exchange():
    declared = {queue.name: queue for queue in settings.CELERY_TASK_QUEUES}

    assert set(declared) == {settings.CELERY_TASK_DEFAULT_QUEUE, *KIND_TASKS}
    # A queue bound to another's exchange and routing key would receive that queue's tasks too.
    assert all(queue.exchange.name == queue.routing_key == name for name, queue in declared.items())
    # The demo's one worker (make demo) is such a worker: it does every kind of work.
    assert "-Q" not in demo_worker_command({"worker_concurrency": 1, "worker_loglevel": "WARNING"})


@pytest.mark.parametrize(("queues", "expected"), [("", None), ("preannotate", "preannotate"),
                                                  ("ingest,export", "ingest,export")])
def test_make_worker_serves_the_queues_it_is_given(queues, expected):
    printed = subprocess.run(["make", "-n", "-o", "install", "worker", f"QUEUES={queues}"], cwd=settings.BASE_DIR,
                             capture_output=True, text=True, check=True).stdout
    (command,) = [line for line in printed.splitlines() if "celery" in line]
    words = command.split()

    assert words[words.index("-A") + 1:][:2] == ["newsroom", "worker"]
    assert (words[words.index("-Q") + 1] if "-Q" in words else None) == expected


# --- a real worker per queue ------------------------------------------------------------


@pytest.fixture
def kind_queues():
    """Queues of this test's own, one per kind and a default one, on the suite's Redis; this process
    routes to them as the settings route to the real ones. Cleared afterwards."""
    require_postgresql()
    prefix = new_queue()
    queues = {kind: f"{prefix}-{kind}" for kind in KIND_SETTINGS} | {"default": f"{prefix}-default"}
    real_to_test = {getattr(settings, name): queues[kind] for kind, name in KIND_SETTINGS.items()}
    routes = {task: real_to_test.get(queue, queues["default"]) for task, queue in settings.NEWSROOM_TASK_QUEUES.items()}
    saved = use_broker(BROKER_URL, queues["default"], routes=routes)
    yield queues
    with app.connection_for_write() as conn:
        for queue in queues.values():
            conn.default_channel.queue_purge(queue)
    restore_broker(saved)


@pytest.fixture
def kind_workers(kind_queues, tmp_path):
    """A worker per kind, each serving its kind's queue only, all routing as the settings do."""
    env = {name: kind_queues[kind] for kind, name in KIND_SETTINGS.items()}
    env |= {"CELERY_TASK_DEFAULT_QUEUE": kind_queues["default"], "INGEST_SYNC_MAX_BYTES": "0"}
    workers = {kind: Worker(kind_queues[kind], tmp_path / f"{kind}.log", env=env, name=kind) for kind in KIND_SETTINGS}
    yield workers
    for worker in workers.values():
        worker.stop()


def received_tasks(worker: Worker) -> set[str]:
    return set(RECEIVED.findall(worker.log.read_text(errors="replace"))) if worker.log.exists() else set()


@pytest.mark.pipeline
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_each_kind_runs_on_the_worker_of_its_queue_and_waits_for_it_alone(kind_workers, settings):
    settings.INGEST_SYNC_MAX_BYTES = 0  # the upload goes to a worker
    project = factories.ProjectFactory(overlap=1)
    project.predictors.create(kind="vader-sentiment")
    sentiment_gold(project)
    for kind in ("ingest", "preannotate", "training"):  # the export worker comes later
        kind_workers[kind].start()
    client = APIClient()
    client.force_authenticate(factories.UserFactory(is_staff=True))

    records = [{"title": f"Harbour report {n}", "text": f"The harbour reopened {n} days early and shops praised it."}
               for n in range(6)]
    upload = SimpleUploadedFile("feed.jsonl", jsonl(records))
    response = client.post("/api/imports/", {"files": [upload], "project": project.pk}, format="multipart")
    assert response.status_code == 202, response.content
    release = release_create(project=project, user=None, export_format="jsonl", filters=ExportFilters())
    version = model_version_create(project=project, kind="sentiment")
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    imported = Prediction.objects.filter(item__article__import_batch=batch, predictor="vader-sentiment")

    # Imported, then pre-annotated (sent by the ingest worker), trained; the release waits for its worker.
    wait_for(lambda: imported.count() == len(records), timeout=120, what="the import and its pre-annotation",
             log=kind_workers["preannotate"].log)
    wait_for(lambda: ModelVersion.objects.get(pk=version.pk).status == "done", timeout=120, what="the training",
             log=kind_workers["training"].log)
    assert Release.objects.get(pk=release.pk).status == "pending"

    kind_workers["export"].start()
    wait_for(lambda: Release.objects.get(pk=release.pk).status == "done", timeout=120, what="the release build",
             log=kind_workers["export"].log)
    for kind, worker in kind_workers.items():
        assert received_tasks(worker) == KIND_TASKS[kind], kind
