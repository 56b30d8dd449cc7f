"""Real processes for pipeline tests: a `celery -A newsroom worker` on the test database, the
broker it listens to, a private Redis a test may stop and start (never the shared one), and
a terminator of the app's own database connections (never anyone else's)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from newsroom.celery import app

ROOT = Path(__file__).resolve().parents[1]
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
# libpq names a connection after this variable; tests find the worker's connections by it.
WORKER_APP_NAME = "newsroom-test-worker"


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("A worker process shares the test database only on PostgreSQL (CI runs on it).")


# The settings naming the queues: a worker of a test gets them all set to its own queue(s).
QUEUE_SETTINGS = ("CELERY_TASK_DEFAULT_QUEUE", "INGEST_QUEUE", "PREANNOTATION_QUEUE", "MODEL_TRAINING_QUEUE",
                  "EXPORT_QUEUE")


def use_broker(broker_url: str, queue: str, routes: dict[str, str] | None = None) -> dict:
    """Send tasks to ``broker_url`` from this process: every task to ``queue``, or each task named in
    ``routes`` (task name -> queue) to its queue and the others to ``queue``. Returns the conf to restore."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue", "task_routes")}
    saved["environ"] = os.environ.get("CELERY_BROKER_URL")
    # Celery reads the broker from the environment before its conf: both must name it.
    os.environ["CELERY_BROKER_URL"] = broker_url
    routes = {name: routes.get(name, queue) if routes else queue for name in settings.NEWSROOM_TASK_QUEUES}
    app.conf.update(task_always_eager=False, broker_url=broker_url, task_default_queue=queue,
                    task_routes={name: {"queue": name_queue} for name, name_queue in routes.items()})
    rebuild_broker_state()
    return saved


def restore_broker(saved: dict) -> None:
    saved = dict(saved)
    environ = saved.pop("environ")
    if environ is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = environ
    app.conf.update(saved)
    rebuild_broker_state()


def rebuild_broker_state() -> None:
    """Celery builds its connection pool, queues and router once, on first use, from the conf of
    that moment; an earlier test may have done so. Drop them so the conf set here applies (kombu
    keeps its pools per broker URL, so the old ones stay usable for the old URL)."""
    app._pool = None
    app.__dict__.pop("amqp", None)


def new_queue() -> str:
    return f"newsroom-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def worker_queue():
    """Tasks go to the suite's Redis, on a queue of this test's own, cleared afterwards."""
    require_postgresql()
    queue = new_queue()
    saved = use_broker(BROKER_URL, queue)
    yield queue
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)
    restore_broker(saved)


class Worker:
    """A real `celery -A newsroom worker` process on the test database, serving ``queue`` (-Q). Every
    queue setting names ``queue`` unless ``env`` says otherwise, so what the worker sends (the
    pre-annotation of an import it ran) comes back to it."""

    def __init__(self, queue: str, log: Path, broker_url: str = BROKER_URL, env: dict | None = None,
                 name: str | None = None):
        self.queue, self.log, self.broker_url, self.env, self.process = queue, log, broker_url, env or {}, None
        self.name = name or queue

    def start(self) -> None:
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": self.broker_url,
               "CELERY_TASK_ALWAYS_EAGER": "false", "DJANGO_SETTINGS_MODULE": "newsroom.settings",
               "MEDIA_ROOT": str(settings.MEDIA_ROOT), "PGAPPNAME": WORKER_APP_NAME,
               **dict.fromkeys(QUEUE_SETTINGS, self.queue), **self.env}
        command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-P", "prefork", "-c", "1",
                   "-Q", self.queue, "--without-heartbeat", "--without-gossip", "--without-mingle",
                   "-l", "INFO", "-n", f"{self.name}-{time.monotonic_ns()}@%h"]
        handle = self.log.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and its children: no warm shutdown, unacknowledged messages stay lost."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class PrivateRedis:
    """A redis-server of this test's own on a free loopback port: stopping it affects no one else."""

    def __init__(self, log: Path):
        self.port, self.log, self.process = free_port(), log, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        wait_for(self._answers, timeout=20, what="the private redis-server", log=self.log)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Waits only catch a hang, they time nothing: on a loaded two-core machine (other suites beside
# this one) a worker takes several times longer than alone, so every wait gets this much room.
WAIT_ROOM = 3


def wait_for(condition, *, timeout: float, what: str, log: Path) -> None:
    timeout *= WAIT_ROOM
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            text = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\nLog:\n{text}")
        time.sleep(0.05)


def terminate_connections(application_name: str, *, times: int, pause: float) -> int:
    """pg_terminate_backend on every connection named ``application_name``, ``times`` times;
    how many connections were terminated in all."""
    db = settings.DATABASES["default"]
    terminated = 0
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
                         application_name="newsroom-test-terminator") as admin:
        for _ in range(times):
            rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = %s AND datname = current_database()",
                                 [application_name]).fetchall()
            terminated += sum(1 for (ok,) in rows if ok)
            time.sleep(pause)
    return terminated


class Terminator(threading.Thread):
    """Terminates the named connections every ``pause`` seconds until stopped."""

    def __init__(self, application_name: str, pause: float):
        super().__init__(daemon=True)
        self.application_name, self.pause, self.stopped, self.count = application_name, pause, threading.Event(), 0

    def run(self) -> None:
        while not self.stopped.is_set():
            self.count += terminate_connections(self.application_name, times=1, pause=self.pause)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
