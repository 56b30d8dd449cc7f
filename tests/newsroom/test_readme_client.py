"""The README's example client, extracted from README.md itself, runs against a live server
(gunicorn on a free port, on this test's PostgreSQL database) and does what it says: a manager
creates two annotators, imports verbatim into a project, both label through next/submit, gold
is accepted, gold and annotations are exported."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from annotations.models import Annotation, Gold, Item
from ingest.models import Article
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SCRIPT = ROOT / "examples" / "client.py"
# The fenced block right after this line of README.md is the example client.
MARKER = "<!-- the example client: examples/client.py -->"
MANAGER_PASSWORD = "a-long-harbour-passphrase"


def readme_script() -> str:
    match = re.search(re.escape(MARKER) + r"\s*```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, f"README.md has no python block after {MARKER!r}"
    return match.group(1)


def test_the_readme_script_is_the_example_file():
    assert readme_script() == SCRIPT.read_text(encoding="utf-8")


def test_the_readme_script_imports_nothing_but_requests_and_the_standard_library():
    imported = set(re.findall(r"^(?:import|from) (\w+)", readme_script(), re.M))
    assert imported - set(sys.stdlib_module_names) == {"requests"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """gunicorn serving this test's database; stopped afterwards."""
    if connection.vendor != "postgresql":
        pytest.fail("The live-server client test needs PostgreSQL (a second process shares the database).")
    db = settings.DATABASES["default"]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                                          f"/{db['NAME']}",
           "CELERY_BROKER_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true", "MEDIA_ROOT": str(tmp_path / "media"),
           "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "false"}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", "2", "--timeout", "120"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, tmp_path / "server.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url + "/health/", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    pytest.fail(f"The server did not start.\n{log.read_text()[-4000:]}")


def test_the_readme_client_labels_and_exports_through_the_api(server, tmp_path):
    # A manager who is not staff and may not import anywhere else: the API alone must suffice.
    project = ProjectFactory(name="Harbour desk", overlap=2, intake="manual")
    manager = UserFactory(username="desk-manager")
    hasher = PBKDF2PasswordHasher()  # the server's hasher (the suite's fast one is not in its settings)
    manager.password = hasher.encode(MANAGER_PASSWORD, hasher.salt())
    manager.save()
    project.memberships.create(user=manager, role="manager")
    script = tmp_path / "client.py"
    script.write_text(readme_script(), encoding="utf-8")

    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env={
        **os.environ, "NEWSROOM_URL": server, "NEWSROOM_USERNAME": "desk-manager",
        "NEWSROOM_PASSWORD": MANAGER_PASSWORD, "NEWSROOM_PROJECT": str(project.pk)})

    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    ana, ben = f"ana-p{project.pk}", f"ben-p{project.pk}"
    assert result["labelled"] == {"ana": 2, "ben": 2}
    assert result["records"] == [["gold", "Pier closes"], [ana, "Pier closes"], [ben, "Pier closes"],
                                 ["gold", "Ferry returns"], [ana, "Ferry returns"], [ben, "Ferry returns"]]
    assert result["offsets_valid"] is True
    assert result["csv"] == [["ana", "Ferry returns"], ["ana", "Pier closes"], ["ben", "Ferry returns"],
                             ["ben", "Pier closes"]]
    bodies = set(Article.objects.values_list("body", flat=True))
    assert bodies == {"Mayor Elena Brandt closed the Portvale pier.\r\nRepairs  start Monday.",
                      "The Bluewake ferry returns to Lowmere, said Tomas Reyes.\r\nFares stay low."}
    assert Item.objects.filter(project=project).count() == 2
    assert Annotation.objects.filter(item__project=project).count() == 4
    assert Gold.objects.filter(item__project=project, status="accepted", based_on__annotator__username=ana).count() == 2
