"""python manage.py demo — the web server and a Celery worker together, for `make demo`.

Starts ``runserver`` and ``celery worker`` (with its beat for the periodic sweeps) as two child
processes with NEWSROOM_EMBEDDED_WORKER on, so that without a CELERY_BROKER_URL their tasks
travel through files under ``var/broker/`` (see the settings) and uploads and pre-annotation
run in the worker, never inside a request. Ctrl+C or SIGTERM stops both; so does either of
them exiting, and so does the death of whatever started this command (no orphan is left).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# A worker finishing its current task on a warm shutdown gets this long before it is killed
# (a pre-annotation batch takes seconds; an import of thousands of articles may not finish).
WORKER_STOP_GRACE_S = 30
SERVER_STOP_GRACE_S = 5
# How often the children are checked while both run.
WATCH_INTERVAL_S = 0.5
# Linux prctl option: the kernel sends this process a signal when its parent dies.
PR_SET_PDEATHSIG = 1


class Command(BaseCommand):
    help = "Serve Newsroom with runserver and start a Celery worker beside it; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Address and port to serve on.")
        parser.add_argument("--worker-concurrency", type=int, default=1,
                            help="Worker processes (default 1: the web server needs the other core).")
        parser.add_argument("--worker-loglevel", default="WARNING", help="Celery log level (default WARNING).")

    def handle(self, *args, **options):
        _die_with_parent()
        broker = broker_folders() or settings.CELERY_BROKER_URL
        env = {**os.environ, "NEWSROOM_EMBEDDED_WORKER": "true"}
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda number, frame: stopping.append(number))
        # DEBUG keeps every query of a long-lived worker in memory; only the web server wants it.
        worker = _start(_worker_command(options), {**env, "DEBUG": "false"})
        server = _start([sys.executable, "manage.py", "runserver", "--noreload", options["addrport"]], env)
        self.stdout.write(f"Worker started (pid {worker.pid}, broker {broker}); "
                          f"web server (pid {server.pid}) on http://{options['addrport']}/")
        self.stdout.flush()
        try:
            exited = _watch([worker, server], stopping)
        finally:
            self.stdout.write(f"Stopping: the worker finishes its current task (up to {WORKER_STOP_GRACE_S} s; "
                              "Ctrl+C again stops it now).")
            self.stdout.flush()
            _stop(server, SERVER_STOP_GRACE_S, stopping)
            _stop(worker, WORKER_STOP_GRACE_S, stopping)
        self.stdout.write("Web server and worker stopped.")
        if exited is not None:
            name = "worker" if exited is worker else "web server"
            raise CommandError(f"The {name} exited with status {exited.returncode}; stopped the other one.")


def broker_folders() -> Path | None:
    """Create the folder broker's folders (kombu expects them to exist) and return its folder;
    None when a real broker (CELERY_BROKER_URL) is configured."""
    if settings.CELERY_BROKER_URL and not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return None
    for name in ("queue", "control"):
        (settings.BROKER_DIR / name).mkdir(parents=True, exist_ok=True)
    return settings.BROKER_DIR


def _worker_command(options) -> list[str]:
    # No -Q: the one worker of the demo serves every queue of the settings (CELERY_TASK_QUEUES).
    schedule = Path(settings.VAR_DIR) / "celerybeat-schedule"
    return [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "--beat", "--schedule", str(schedule),
            "--pool", "prefork", "--concurrency", str(options["worker_concurrency"]),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", options["worker_loglevel"]]


def _start(command: list[str], env: dict) -> subprocess.Popen:
    # Their own session: the terminal's Ctrl+C reaches this command only, which stops the
    # children in order (a worker killed by the same Ctrl+C would drop the task it holds).
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True,
                            preexec_fn=_die_with_parent)


def _watch(children: list[subprocess.Popen], stopping: list) -> subprocess.Popen | None:
    """Wait until a signal arrives (None) or a child exits (that child)."""
    while not stopping:
        for child in children:
            if child.poll() is not None:
                return child
        time.sleep(WATCH_INTERVAL_S)
    return None


def _stop(child: subprocess.Popen, grace_s: float, stopping: list) -> None:
    """SIGTERM to the child (the worker then finishes its current task: a warm shutdown); after
    ``grace_s`` seconds, or at another Ctrl+C, SIGKILL to its whole process group."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        signals_before = len(stopping)
        deadline = time.monotonic() + grace_s
        while child.poll() is None and time.monotonic() < deadline and len(stopping) <= signals_before:
            time.sleep(WATCH_INTERVAL_S / 5)
    _signal_group(child, signal.SIGKILL)  # what is left: a stuck task, pool processes of a dead parent
    child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the parent process dies (make killed, a test's process
    gone), so that nothing is left running; a no-op elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
