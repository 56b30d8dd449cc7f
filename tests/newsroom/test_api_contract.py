"""The API keeps its contract: Schemathesis generates requests from /api/schema/ against a live
gunicorn server on the test database, with a manager's and an annotator's token, and finds no
server error, no undocumented status code or content type and no response off its schema.

Bounded and deterministic (a fixed seed, deterministic generation, few examples per operation);
``CONTRACT_MAX_EXAMPLES`` raises the bound for a long hunt, ``CONTRACT_SEED`` varies it.

Nothing is excluded. The operations run in rounds, reads, writes, deletes, then users and the
caller's own token, each with the annotator's token first: a generated request of the manager
deleting the project, changing a role, deactivating a user or rotating its own token comes after
every other operation has met things as they were.
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
# Users and the caller's own token: a generated request may deactivate the caller, take away its
# staff status or rotate its token, after which it can do nothing more; so they come last.
ACCOUNTS = r"^/api/(users|auth)/"
ROUNDS = {
    "reads": ["--include-method", "GET", "--exclude-path-regex", ACCOUNTS],
    "writes": ["--include-method", "POST", "--include-method", "PUT", "--include-method", "PATCH",
               "--exclude-path-regex", ACCOUNTS],
    "deletes": ["--include-method", "DELETE", "--exclude-path-regex", ACCOUNTS],
    "users": ["--include-path-regex", r"^/api/users/"],
    "own token": ["--include-path-regex", r"^/api/auth/"],
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


def fetch_schema(base_url: str, token: str, target: Path) -> Path:
    """The OpenAPI document as the server serves it, saved once: a later round may run with a
    token that was rotated or a user that was deactivated, which can no longer fetch it."""
    request = urllib.request.Request(f"{base_url}/api/schema/?format=json",
                                     headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        target.write_bytes(response.read())
    return target


def run_schemathesis(base_url: str, schema: Path, token: str, round_options: list[str], report: Path) -> dict:
    """One Schemathesis run; its JSON report."""
    command = [str(SCHEMATHESIS), "run", str(schema), "--url", base_url,
               "--header", f"Authorization: Token {token}",
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
    schema = fetch_schema(live_api, tokens["manager"], tmp_path / "schema.json")
    summary, broken = [], []
    for name, options in ROUNDS.items():
        for role in ("annotator", "manager"):
            report = tmp_path / f"{name.replace(' ', '-')}-{role}.json"
            result = run_schemathesis(live_api, schema, tokens[role], options, report)
            operations, cases = result["operations"] or {}, result["test_cases"] or {}
            summary.append(f"{name} as {role}: {operations.get('tested')}/{operations.get('selected')} operations, "
                           f"{cases.get('generated')} cases, {cases.get('unique_failures')} failures, "
                           f"{len(result['errors'])} errors")
            if result["failures"] or result["errors"] or not operations["tested"] == operations["selected"] > 0:
                broken.append(result["output"][-20000:])
    print("\n".join(summary))
    assert not broken, "\n".join(summary) + "\n\n" + "\n".join(broken)
