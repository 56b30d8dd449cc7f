"""The pipeline with real parts: a `celery -A newsroom worker` process on Redis, PostgreSQL,
the spaCy and VADER predictors. A worker killed in the middle of a run loses nothing: a
restart plus the sweep completes the run, with no duplicate predictions."""

from pathlib import Path

import pytest

from annotations.models import Item, Prediction, PreannotationRun
from annotations.preannotation.runs import preannotation_sweep
from ingest.readers import read_records
from ingest.services import import_batch_create, import_batch_run
from tests import factories
from tests.pipeline import Worker, wait_for, worker_queue  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.pipeline, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

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
def worker(worker_queue, tmp_path):
    worker = Worker(worker_queue, tmp_path / "worker.log")
    yield worker
    worker.stop()


def _wait_for(condition, *, timeout: float, what: str, log: Path) -> None:
    wait_for(condition, timeout=timeout, what=what, log=log)


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
