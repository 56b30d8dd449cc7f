"""`make demo`'s stack for real: `manage.py demo` on SQLite (a var folder of the test's own), with
its Celery worker on the folder broker. Twenty annotators asking for work and submitting at once
get no error and no item twice; an upload is answered before it is imported, and the worker
imports it, offers its articles and stores their suggestions; stopping the demo stops both, and
so does either of them exiting."""

import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from benchmarks import demo_stack
from benchmarks.corpus import records

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

ANNOTATORS = 20
CYCLES = 4  # next + submit per annotator: 80 assignments of the 120 places (overlap 2)
ITEMS = 60
UPLOADED = 300
# Bounds for every wait: far beyond what the stack needs, so a hang fails instead of blocking.
REQUEST_TIMEOUT_S = 60
IMPORT_TIMEOUT_S = 180
PREDICTOR = "vader-sentiment"  # quick, and it loads no model
_WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo stack on a fresh SQLite database with one project, 20 annotators and a manager.
    Uploads over 20 kB go to the worker, as the default's 1 MB would for a big upload."""
    var_dir = tmp_path_factory.mktemp("var")
    demo_stack.migrate(var_dir)
    data = demo_stack.fill(var_dir, items=ITEMS, annotators=ANNOTATORS, predictors=(PREDICTOR,))
    with demo_stack.Stack(var_dir, env={"INGEST_SYNC_MAX_BYTES": "20000"}) as stack:
        yield stack, data
    print(stack.final_log)


def _url(stack, path: str) -> str:
    return f"http://{demo_stack.HOST}:{stack.port}{path}"


def _session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    return session


def _annotate(stack, project: int, token: str, seed: int) -> list[tuple[str, int]]:
    """CYCLES of next + submit as one annotator; every (request, status)."""
    rng, session, statuses = random.Random(seed), _session(token), []
    for _ in range(CYCLES):
        response = session.post(_url(stack, f"/api/projects/{project}/next/"), timeout=REQUEST_TIMEOUT_S)
        statuses.append(("next", response.status_code))
        if response.status_code != 200:
            continue
        item = response.json()
        word = rng.choice(list(_WORD.finditer(item["body"])))
        labels = {"sentiment": "neutral", "base_version": None, "pending": "reject",
                  "spans": [{"start": word.start(), "end": word.end(), "label": "ORG", "text": word.group()}]}
        response = session.post(_url(stack, f"/api/items/{item['id']}/annotations/"), json=labels,
                                timeout=REQUEST_TIMEOUT_S)
        statuses.append(("submit", response.status_code))
    return statuses


def test_twenty_annotators_at_once_get_no_error_and_no_item_twice(demo):
    stack, data = demo
    start = threading.Barrier(ANNOTATORS)

    def annotator(number: int) -> list[tuple[str, int]]:
        start.wait(timeout=REQUEST_TIMEOUT_S)  # all at once
        return _annotate(stack, data["project"], data["tokens"][number], seed=number)

    with ThreadPoolExecutor(max_workers=ANNOTATORS) as pool:
        statuses = [status for result in pool.map(annotator, range(ANNOTATORS)) for status in result]

    failed = [(request, status) for request, status in statuses if status not in (200, 201)]
    assert not failed, f"{len(failed)} of {len(statuses)} requests failed: {failed[:10]}\n{stack.log_tail()}"
    assert len(statuses) == 2 * ANNOTATORS * CYCLES
    checks = demo_stack.checks(stack.var_dir, data["project"])
    assert checks["same_annotator_twice"] == checks["over_overlap"] == checks["counter_drift"] == 0, checks
    assert checks["submitted"] == ANNOTATORS * CYCLES


def test_an_upload_is_answered_at_once_and_the_worker_imports_and_preannotates_it(demo):
    stack, data = demo
    manager = _session(data["manager_token"])
    articles = list(records(UPLOADED, random.Random(3)))
    response = manager.post(_url(stack, "/api/imports/"), json=articles, timeout=REQUEST_TIMEOUT_S)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending"  # answered before the import began

    batch = _wait(lambda: _batch_if_done(manager, stack, response.json()["id"]), what="the import")
    assert batch["processed_count"] == UPLOADED and batch["created_count"] > 0 and batch["failed_count"] == 0
    items = manager.get(_url(stack, f"/api/items/?project={data['project']}&page_size=500"), timeout=REQUEST_TIMEOUT_S).json()
    assert len(items["results"]) == ITEMS + batch["created_count"]  # every new article offered to the project
    run = _wait(lambda: _import_run_if_done(manager, stack, data["project"]), what="the pre-annotation run")
    assert run["predictor"] == PREDICTOR
    assert run["item_count"] == run["done_count"] == batch["created_count"] and run["failed_count"] == 0


def test_stopping_the_demo_stops_the_server_and_the_worker(demo):
    stack, _ = demo
    assert len(stack.pids) == 2 and all(demo_stack.alive(pid) for pid in stack.pids)
    stack.stop()
    assert stack.process.returncode == 0, stack.final_log
    # Each runs in a process group of its own (the worker's with its pool and beat): all of it is
    # gone, once the orphans the kill left are reaped.
    for pid in stack.pids:
        _wait(lambda: None if _group_exists(pid) else True, what=f"process group {pid} to go")


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _batch_if_done(session, stack, batch_id: int) -> dict | None:
    batch = session.get(_url(stack, f"/api/imports/{batch_id}/"), timeout=REQUEST_TIMEOUT_S).json()
    assert batch["status"] in ("pending", "running", "done"), batch
    return batch if batch["status"] == "done" else None


def _import_run_if_done(session, stack, project: int) -> dict | None:
    runs = session.get(_url(stack, f"/api/projects/{project}/preannotation-runs/?trigger=import"),
                       timeout=REQUEST_TIMEOUT_S).json()["results"]
    return runs[0] if runs and runs[0]["status"] == "done" else None


def _wait(found, *, what: str, timeout: float = IMPORT_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (result := found()) is not None:
            return result
        time.sleep(0.25)
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.")


def test_the_worker_is_stopped_when_the_web_server_cannot_start(tmp_path):
    with socket.socket() as taken:  # the port the web server asks for is in use
        taken.bind((demo_stack.HOST, 0))
        taken.listen()
        address = f"{demo_stack.HOST}:{taken.getsockname()[1]}"
        result = subprocess.run([sys.executable, "manage.py", "demo", address], cwd=demo_stack.REPO,
                                env=demo_stack.demo_env(tmp_path), capture_output=True, text=True,
                                timeout=demo_stack.START_TIMEOUT_S + demo_stack.STOP_TIMEOUT_S)
    assert result.returncode != 0
    assert "The web server exited" in result.stderr, result.stderr[-3000:]
    worker = int(re.search(r"Worker started \(pid (\d+)", result.stdout)[1])
    _wait(lambda: None if _group_exists(worker) else True, what="the worker to go", timeout=30)
