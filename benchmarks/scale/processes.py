"""The served processes of one checkpoint, as deployed: gunicorn with 4 sync workers and a
Celery worker (prefork, 2 processes) serving every queue the settings route to, both on this
process's database; and their memory (RSS and PSS, summed over each process tree), sampled
while the checkpoint runs."""

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

from benchmarks import labeling_data
from benchmarks.queue import KEEP_ALIVE_S, Server, _children
from benchmarks.served import HOST

REPO = Path(__file__).resolve().parents[2]
WEB_WORKERS = 4
WORKER_PROCESSES = 2  # one per core, as the README deploys it
SAMPLE_EVERY_S = 0.25
WORKER_READY_TIMEOUT_S = 180
# gunicorn's worker timeout: a slower request is cut off (and counted as an error) instead of
# holding the run; a worker also gets this long to boot.
REQUEST_TIMEOUT_S = 120


# One secret key for every server of a run: the signed-in session the benchmark writes is signed
# with it, so each checkpoint's server reads it.
RUN_SECRET_KEY = secrets.token_urlsafe(50)


class WebServer(Server):
    """gunicorn as ``benchmarks.queue`` starts it, with the run's secret key."""

    # Booting 4 workers on a loaded 2-core machine can take longer than gunicorn's 30 s default.
    start_timeout_s = 180

    def __init__(self):
        super().__init__(workers=WEB_WORKERS, threads=1)

    def _popen(self) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": labeling_data.database_url(os.environ["DATABASE_URL"]),
               "DEBUG": "false", "SECRET_KEY": RUN_SECRET_KEY, "ALLOWED_HOSTS": HOST}
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"{HOST}:{self.port}",
                   "--workers", str(self.workers), "--threads", str(self.threads),
                   "--keep-alive", str(KEEP_ALIVE_S), "--timeout", str(REQUEST_TIMEOUT_S), "--log-level", "warning"]
        return subprocess.Popen(command, env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)


def worker_queues() -> list[str]:
    """Every queue a task may be sent to: the default one and those of the routes."""
    queues = {settings.CELERY_TASK_DEFAULT_QUEUE}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            queues.add(route["queue"])
    for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or ():
        queues.add(getattr(queue, "name", queue))
    return sorted(queues)


class Worker:
    """`celery -A newsroom worker` on this process's database; stopped on leaving the block."""

    def __init__(self, log: Path, media_root: Path):
        self.log, self.media_root, self.process = log, media_root, None

    def __enter__(self):
        env = {**os.environ, "DATABASE_URL": labeling_data.database_url(os.environ["DATABASE_URL"]),
               "CELERY_TASK_ALWAYS_EAGER": "false", "MEDIA_ROOT": str(self.media_root)}
        command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-P", "prefork",
                   "-c", str(WORKER_PROCESSES), "-Q", ",".join(worker_queues()), "--without-heartbeat",
                   "--without-gossip", "--without-mingle", "-l", "INFO", "-n", f"scale-{os.getpid()}@%h"]
        self.log_start = self.log.stat().st_size if self.log.exists() else 0  # the log is shared by checkpoints
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=self.log.open("ab"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            with self.log.open("rb") as handle:
                handle.seek(self.log_start)
                if b" ready." in handle.read():
                    time.sleep(1)  # the pool's processes start right after
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the worker was not ready after {WORKER_READY_TIMEOUT_S} s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def tree_memory_mb(root: int) -> dict[str, float]:
    """RSS and PSS of a process and its children, summed, in MB (PSS shares the pages that forked
    workers have in common among them, so it does not count them once per worker)."""
    rss = pss = 0.0
    for pid in [root, *_children_or_none(root)]:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
        except OSError:
            continue  # exited meanwhile
    return {"rss_mb": rss, "pss_mb": pss}


def _children_or_none(pid: int) -> list[int]:
    try:
        return _children(pid)
    except OSError:
        return []


class MemorySampler:
    """Peak RSS and PSS of named process trees, sampled in a thread between start and stop."""

    def __init__(self, roots: dict[str, int]):
        self.roots = roots
        self.peak = {name: {"rss_mb": 0.0, "pss_mb": 0.0} for name in roots}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def snapshot(self) -> dict[str, dict[str, float]]:
        return {name: tree_memory_mb(pid) for name, pid in self.roots.items()}

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, figures in self.snapshot().items():
                for key, value in figures.items():
                    self.peak[name][key] = max(self.peak[name][key], value)
            self._stop.wait(SAMPLE_EVERY_S)
