"""The API keeps its contract: Schemathesis generates requests from /api/schema/ against a live
gunicorn server on the test database, with a manager's and an annotator's token, and finds no
server error, no undocumented status code or content type and no response off its schema.

Bounded and deterministic (a fixed seed, deterministic generation, few examples per operation);
``CONTRACT_MAX_EXAMPLES`` raises the bound for a long hunt, ``CONTRACT_SEED`` varies it.

Nothing is excluded. The operations run in three rounds, reads, then writes, then deletes, each
with the annotator's token first: a generated request of the manager deleting the project or
changing a role comes after every other operation has met the project as it was.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.newsroom.contract_data import contract_data

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, reset_sequences=True)]

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
MAX_EXAMPLES = int(os.environ.get("CONTRACT_MAX_EXAMPLES", "5"))
SEED = int(os.environ.get("CONTRACT_SEED", "20261204"))
ROUNDS = {
    "reads": ["--include-method", "GET"],
    "writes": ["--include-method", "POST", "--include-method", "PUT", "--include-method", "PATCH"],
    "deletes": ["--include-method", "DELETE"],
}
# How long the server may take to start answering (it imports Django and the app once).
SERVER_START_SECONDS = 60


@pytest.fixture
def live_api(tmp_path):
    """gunicorn serving the app on a free port, on this test's database and media folder."""
    if connection.vendor != "postgresql":
        pytest.skip("A server process shares the test database only on PostgreSQL (CI runs on it).")
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "false",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
           "SECRET_KEY": "contract-test-secret", "CELERY_TASK_ALWAYS_EAGER": "true", "LOG_LEVEL": "WARNING"}
    log = (tmp_path / "server.log").open("wb")
    # --limit-request-line 0: gunicorn answers a request line over 4 KB with its own HTML 414
    # before the app sees it; that limit belongs to the deployment (a proxy has its own), not to
    # the API's contract, and long generated query strings would otherwise only test gunicorn.
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "--threads", "4", "--timeout", "120", "--limit-request-line", "0"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(server, f"http://127.0.0.1:{port}/health/")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(server: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The server exited with {server.returncode} before answering.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The server did not answer {url} within {SERVER_START_SECONDS} s.")


def run_schemathesis(base_url: str, token: str, round_options: list[str], report: Path) -> dict:
    """One Schemathesis run; its JSON report."""
    command = [str(SCHEMATHESIS), "run", f"{base_url}/api/schema/", "--header", f"Authorization: Token {token}",
               "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
               "--generation-deterministic", "--workers", "1", "--no-color",
               "--request-timeout", "60", "--suppress-health-check", "all",
               "--report", "json", "--report-json-path", str(report), *round_options]
    finished = subprocess.run(command, cwd=report.parent, capture_output=True, text=True)
    report.with_suffix(".txt").write_text(finished.stdout + finished.stderr)
    if not report.exists():
        pytest.fail(f"Schemathesis wrote no report:\n{finished.stdout[-5000:]}\n{finished.stderr[-5000:]}")
    result = json.loads(report.read_text())
    result["output"] = finished.stdout
    return result


def test_the_api_keeps_its_contract(live_api, tmp_path):
    tokens = contract_data()
    summary, broken = [], []
    for name, options in ROUNDS.items():
        for role in ("annotator", "manager"):
            result = run_schemathesis(live_api, tokens[role], options, tmp_path / f"{name}-{role}.json")
            operations, cases = result["operations"], result["test_cases"]
            summary.append(f"{name} as {role}: {operations['tested']}/{operations['selected']} operations, "
                           f"{cases['generated']} cases, {cases['unique_failures']} failures, "
                           f"{len(result['errors'])} errors")
            if result["failures"] or result["errors"] or not operations["tested"] == operations["selected"] > 0:
                broken.append(result["output"][-20000:])
    print("\n".join(summary))
    assert not broken, "\n".join(summary) + "\n\n" + "\n".join(broken)
