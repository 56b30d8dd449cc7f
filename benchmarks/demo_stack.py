"""The embedded stack as `make demo` runs it, for benchmarks and tests: SQLite in a var folder of
its own, served by `manage.py demo` (runserver and a Celery worker on the folder broker), or by
runserver alone with Celery in eager mode (`make demo` before it had a worker).

Everything touching that SQLite database runs in a child process with the demo's environment
(no DATABASE_URL, no CELERY_BROKER_URL, NEWSROOM_VAR_DIR set), so the caller may itself be
connected to PostgreSQL. ``python -m benchmarks.demo_stack fill|checks VAR_DIR ...`` are those
children's entry points; they print JSON.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from benchmarks.served import HOST, ServedProcess

REPO = Path(__file__).resolve().parent.parent
# runserver and the worker import Django and connect within seconds; beyond this something is wrong.
START_TIMEOUT_S = 90
# `manage.py demo` gives its worker 30 s to finish a task; then it kills it.
STOP_TIMEOUT_S = 45
# A setup step (migrate, demo_setup with spaCy, a fill) longer than this is broken.
SETUP_TIMEOUT_S = 600
_PIDS = re.compile(r"Worker started \(pid (\d+).*web server \(pid (\d+)\)")


def demo_env(var_dir: Path, **extra: str) -> dict:
    """The environment `make demo` gives its commands, with the var folder at ``var_dir``."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "NEWSROOM_EMBEDDED_WORKER", "MEDIA_ROOT",
                          "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE")}
    return {**env, "NEWSROOM_VAR_DIR": str(var_dir), "DEBUG": "true", **extra}


def manage(var_dir: Path, *args: str) -> str:
    """Run a management command on the demo database; its output."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=demo_env(var_dir),
                            capture_output=True, text=True, timeout=SETUP_TIMEOUT_S)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def migrate(var_dir: Path) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(var_dir, "migrate", "--noinput")


def child(var_dir: Path, *args: str) -> dict:
    """Run this module's entry point on the demo database; its JSON answer."""
    result = subprocess.run([sys.executable, "-m", "benchmarks.demo_stack", *args, str(var_dir)], cwd=REPO,
                            env=demo_env(var_dir), capture_output=True, text=True, timeout=SETUP_TIMEOUT_S)
    if result.returncode:
        raise RuntimeError(f"demo_stack {args[0]} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def fill(var_dir: Path, *, items: int, annotators: int, seed: int = 7, predictors: tuple[str, ...] = (),
         overlap: int = 2) -> dict:
    """A project with ``items`` open items, annotators with tokens and a staff manager with a
    token: {"project": id, "tokens": [...], "manager_token": ...}."""
    return child(var_dir, "fill", "--items", str(items), "--annotators", str(annotators), "--seed", str(seed),
                 "--overlap", str(overlap), *(arg for kind in predictors for arg in ("--predictor", kind)))


def checks(var_dir: Path, project_id: int) -> dict:
    """benchmarks.queue.assignment_checks of the project, read from the demo database."""
    return child(var_dir, "checks", "--project", str(project_id))


def copy(var_dir: Path, target: Path) -> Path:
    """A copy of a stopped stack's var folder (database with its WAL, media), without the broker."""
    shutil.copytree(var_dir, target, ignore=shutil.ignore_patterns("broker", "celerybeat-schedule*"))
    return target


class Stack(ServedProcess):
    """``manage.py demo`` (worker=True) or ``manage.py runserver`` with eager Celery (worker=False)
    on a free port, against ``var_dir``; stopped on leaving the ``with`` block, whatever happened.
    ``pids`` are the web server's and the worker's (worker=True) once started."""

    name = "the demo"
    start_timeout_s = START_TIMEOUT_S
    stop_timeout_s = STOP_TIMEOUT_S

    def __init__(self, var_dir: Path, *, worker: bool = True, env: dict | None = None):
        super().__init__()
        self.var_dir, self.worker, self.extra_env = var_dir, worker, env or {}
        self.pids: list[int] = []

    def _popen(self) -> subprocess.Popen:
        command = ["demo"] if self.worker else ["runserver", "--noreload"]
        return subprocess.Popen([sys.executable, "manage.py", *command, f"{HOST}:{self.port}"],
                                cwd=REPO, env=demo_env(self.var_dir, **self.extra_env),
                                stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def _on_healthy(self) -> None:
        found = _PIDS.search(self.log_tail(20_000))
        self.pids = [int(found[2]), int(found[1])] if found else [self.process.pid]

    def _terminate(self) -> None:
        """SIGINT, as Ctrl+C would (`manage.py demo` stops its server and worker); SIGKILL to the
        whole group after STOP_TIMEOUT_S."""
        self.process.send_signal(signal.SIGINT if self.worker else signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --- the children's side: run with the demo's environment -------------------------------------

def _fill(args) -> dict:
    from django.contrib.auth import get_user_model

    from annotations.models import Membership
    from benchmarks import labeling_data

    project = labeling_data.project_create(name="Demo load", overlap=args.overlap)
    for kind in args.predictor:
        project.predictors.create(kind=kind)
    members = labeling_data.members_create(project=project, count=args.annotators)
    [(manager_id, manager_token)] = labeling_data.members_create(project=project, count=1, prefix="manager",
                                                                 role=Membership.Role.MANAGER)
    get_user_model().objects.filter(pk=manager_id).update(is_staff=True)  # imports are for staff
    labeling_data.items_create(project=project, count=args.items, rng=random.Random(args.seed))
    labeling_data.analyze()
    return {"project": project.pk, "tokens": [token for _, token in members], "manager_token": manager_token}


def _checks(args) -> dict:
    from annotations.models import Project
    from benchmarks.queue import assignment_checks

    return assignment_checks(Project.objects.get(pk=args.project))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Steps run on the demo database (used by benchmarks and tests).")
    steps = parser.add_subparsers(dest="step", required=True)
    fill_parser = steps.add_parser("fill")
    fill_parser.add_argument("--items", type=int, required=True)
    fill_parser.add_argument("--annotators", type=int, required=True)
    fill_parser.add_argument("--overlap", type=int, default=2)
    fill_parser.add_argument("--seed", type=int, default=7)
    fill_parser.add_argument("--predictor", action="append", default=[])
    checks_parser = steps.add_parser("checks")
    checks_parser.add_argument("--project", type=int, required=True)
    for step in (fill_parser, checks_parser):
        step.add_argument("var_dir")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    print(json.dumps(_fill(args) if args.step == "fill" else _checks(args)))


if __name__ == "__main__":
    main()
