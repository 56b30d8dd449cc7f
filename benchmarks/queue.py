"""Next-item queue under load: python -m benchmarks.queue [--items 5000] [--modes steady saturated] [--duration S]

For each mode, makes a fresh test database holding one project (overlap 2, entity types PERSON,
ORG, GPE), ``--items`` open items on news-like articles (~300 words, written in bulk) and
annotators with API tokens; starts gunicorn (newsroom.wsgi, DEBUG off) on a free port of
127.0.0.1 against that database; and drives it over HTTP from a thread pool, each thread one
annotator with its own kept-alive connection, in one of two modes:

- steady: 50 annotators, each looping: POST /api/projects/{id}/next/, a 1 s pause, POST
  /api/items/{id}/annotations/ (a sentiment and one span taken from the body), a 1 s pause;
  60 s by default. Starts are spread over the first 2 s, as people do not click in step.
- saturated: 20 clients with no pause (next, then submit), 30 s by default.

Before the clock starts, every client makes 3 unmeasured reads (GET /api/projects/{id}/), so
that a fresh server's lazy imports and database connections are not counted. Prints p50/p95/p99
latency and requests/s per endpoint; the CPU milliseconds per request spent by gunicorn, by
PostgreSQL and by the load generator (on a shared machine these move less than throughput, and
2 cores / their sum is the ceiling); and always, read from the database afterwards, the double
assignments found (an annotator holding one item twice, or an item with more live assignments
than the overlap): there must be none. The Label Studio reference is printed in the same output.
The load generator runs on the same machine as the server and PostgreSQL and takes its share
of the CPU (shown in the CPU line).

gunicorn defaults to 4 sync workers (2 per core), as the product is deployed. Measured on this
machine kind in one session: the same throughput as 2 workers x 4 threads (~125 requests/s
saturated) but a far shorter tail (steady p99 42 ms instead of 152 ms: threads queue on the GIL,
as every request is CPU-bound Python). Try other shapes with --workers/--threads.

With --demo, each mode runs a second time against `make demo`'s stack: SQLite in a fresh var folder,
served by `manage.py demo` (runserver and the Celery worker on the folder broker), the same data
written in bulk; a table then sets both side by side (errors must be 0 there too).

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.queue
Quick check: python -m benchmarks.queue --items 1000 --duration 5 --demo
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import connection as db_connection  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.test.utils import teardown_databases  # noqa: E402

from annotations.models import DEFAULT_SENTIMENT_SCALE, Assignment, Item, Project  # noqa: E402
from benchmarks import demo_stack, labeling_data  # noqa: E402
from benchmarks.served import HOST, ServedProcess  # noqa: E402

REFERENCE = ("Label Studio 1.23 next-task at 20 concurrent clients on this machine kind: 12-17 requests/s, "
             "p50 0.7-0.9 s, p99 4.6-7.4 s (target: >= 10x throughput; steady p99 < 100 ms)")
REPO = Path(__file__).resolve().parent.parent
OVERLAP = 2
# A request slower than this is an error: far beyond any target, and it bounds every wait.
REQUEST_TIMEOUT_S = 30
# gunicorn imports Django and connects within a few seconds; beyond this something is wrong.
SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 15
# Longer than the steady pause, so an annotator's connection is reused, as a browser's would be.
KEEP_ALIVE_S = 5
# Hard cap on one client's cycles (next + submit), whatever the duration: no loop is unbounded.
MAX_CYCLES_PER_CLIENT = 20_000
# After a failed request, wait this long before the next, so a broken server is not hammered.
ERROR_PAUSE_S = 0.1
OK_STATUSES = {200, 201, 204}  # 204: nothing left for this annotator
# Unmeasured reads per client before the clock starts: the first requests of a fresh server pay
# for its lazy imports and database connections, which a running deployment has long paid.
WARM_UP_REQUESTS = 3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Mode:
    name: str
    clients: int
    pause_s: float  # after each request
    duration_s: float


MODES = {
    "steady": Mode("steady", clients=50, pause_s=1.0, duration_s=60),
    "saturated": Mode("saturated", clients=20, pause_s=0.0, duration_s=30),
}


# --- the server ---------------------------------------------------------------------

class Server(ServedProcess):
    """gunicorn serving newsroom.wsgi on a free port of 127.0.0.1, against this process's database;
    stopped on leaving the ``with`` block, whatever happened."""

    name = "gunicorn"
    start_timeout_s = SERVER_START_TIMEOUT_S
    stop_timeout_s = SERVER_STOP_TIMEOUT_S

    def __init__(self, *, workers: int, threads: int):
        super().__init__()
        self.workers, self.threads = workers, threads

    def _popen(self) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": labeling_data.database_url(os.environ["DATABASE_URL"]),
               "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST}
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"{HOST}:{self.port}",
                   "--workers", str(self.workers), "--threads", str(self.threads),
                   "--keep-alive", str(KEEP_ALIVE_S), "--log-level", "warning"]
        return subprocess.Popen(command, env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)


class CpuMeter:
    """CPU seconds spent, between entering and leaving the ``with`` block, by gunicorn (master and
    workers), by the PostgreSQL backends of this process's database, and by this process (the
    load generator). Per request, they show where the two cores go, which the throughput of a
    shared machine alone does not."""

    PARTS = ("server", "database", "load generator")

    def __init__(self, server_pid: int, *, database: bool = True):
        self.server_pid, self.database = server_pid, database  # no database processes: SQLite
        self.used: dict[str, float] = {}

    def __enter__(self):
        self._start = self._read()
        return self

    def __exit__(self, *exc):
        end = self._read()
        self.used = {part: sum(seconds - self._start[part].get(pid, 0.0) for pid, seconds in end[part].items())
                     for part in self.PARTS}

    def _read(self) -> dict[str, dict[int, float]]:
        backends = []
        if self.database:
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                               "AND pid <> pg_backend_pid()")
                backends = [pid for (pid,) in cursor.fetchall()]
        server = [self.server_pid, *_children(self.server_pid)]
        return {"server": _cpu_seconds(server), "database": _cpu_seconds(backends),
                "load generator": {0: time.process_time()}}


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11])."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue  # exited meanwhile
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _children(parent: int) -> list[int]:
    """The gunicorn workers (or the demo's web server and worker): children of the parent's main
    thread (the one that forks them)."""
    return [int(pid) for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]


# --- the clients ----------------------------------------------------------------------

@dataclass
class Client:
    """One annotator: a kept-alive connection, a token, and the timings of its requests."""

    port: int
    token: str
    samples: list[tuple[str, int, float]] = field(default_factory=list)  # (endpoint, status, seconds)

    def __post_init__(self):
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
        self.headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}

    def send(self, method: str, endpoint: str, path: str, payload: dict | None = None) -> tuple[int, dict | None]:
        """Send a request and time it; returns (status, JSON body of a 200). Status 0: no answer."""
        body = json.dumps(payload).encode() if payload is not None else b""
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=self.headers)
            response = self.connection.getresponse()
            status, data = response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            status, data = 0, b""
        self.samples.append((endpoint, status, time.perf_counter() - started))
        return status, (json.loads(data) if status == 200 else None)

    def close(self) -> None:
        self.connection.close()


def annotation(body: str, rng: random.Random) -> dict:
    """A valid first submit: a sentiment and one span on a word of ``body``."""
    word = rng.choice(list(_WORD.finditer(body)))
    span = {"start": word.start(), "end": word.end(), "label": rng.choice(labeling_data.ENTITY_LABELS),
            "text": word.group()}
    return {"sentiment": rng.choice(DEFAULT_SENTIMENT_SCALE), "spans": [span], "base_version": None}


def annotate(client: Client, *, project_id: int, mode: Mode, deadline: float, stop: threading.Event,
             rng: random.Random) -> None:
    """Loop next, pause, submit, pause until the deadline, ``stop``, or nothing is left."""
    if mode.pause_s and not _pause(rng.uniform(0, 2 * mode.pause_s), deadline, stop):
        return
    for _ in range(MAX_CYCLES_PER_CLIENT):
        if stop.is_set() or time.monotonic() >= deadline:
            return
        status, item = client.send("POST", "next", f"/api/projects/{project_id}/next/")
        if status == 204:
            return  # nothing left for this annotator
        if status != 200:
            _pause(ERROR_PAUSE_S, deadline, stop)
            continue
        if not _pause(mode.pause_s, deadline, stop):
            return
        payload = annotation(item["body"], rng)
        status, _ = client.send("POST", "submit", f"/api/items/{item['id']}/annotations/", payload)
        if not _pause(ERROR_PAUSE_S if status != 201 else mode.pause_s, deadline, stop):
            return


def _pause(seconds: float, deadline: float, stop: threading.Event) -> bool:
    """Wait up to ``seconds`` (never past the deadline); False when the run is over."""
    if seconds:
        stop.wait(max(0.0, min(seconds, deadline - time.monotonic())))
    return not stop.is_set() and time.monotonic() < deadline


def warm_up(client: Client, project_id: int) -> None:
    """Open the client's connection and warm the server (its threads' database connections, lazy
    imports) with a read that leaves the queue as it is; these requests are not measured."""
    for _ in range(WARM_UP_REQUESTS):
        client.send("GET", "warm-up", f"/api/projects/{project_id}/")
    client.samples.clear()


@dataclass
class Run:
    samples: list[tuple[str, int, float]]  # (endpoint, status, seconds) of every measured request
    elapsed: float
    cpu: dict[str, float]  # CpuMeter.used
    checks: dict[str, int] = field(default_factory=dict)  # assignment_checks
    server_log: str = ""  # its tail, shown when requests failed


def drive(*, server: Server | demo_stack.Stack, project_id: int, tokens: list[str], mode: Mode, seed: int) -> Run:
    """Warm the server up, then run ``mode`` against it, measured. Ctrl+C or a crashed client
    stops every client at its next request."""
    clients = [Client(server.port, token) for token in tokens[:mode.clients]]
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(lambda client: warm_up(client, project_id), clients))
        with CpuMeter(server.process.pid, database=isinstance(server, Server)) as meter:
            started = time.perf_counter()
            deadline = time.monotonic() + mode.duration_s
            futures = [pool.submit(annotate, client, project_id=project_id, mode=mode, deadline=deadline,
                                   stop=stop, rng=random.Random(seed * 1000 + number))
                       for number, client in enumerate(clients)]
            try:
                for future in futures:
                    future.result()
            finally:
                stop.set()
            elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return Run([sample for client in clients for sample in client.samples], elapsed, meter.used)


# --- data and checks -----------------------------------------------------------------

def fill(*, items: int, annotators: int, seed: int) -> tuple[Project, list[str]]:
    """The project, its open items and annotators; returns the project and the annotators' tokens."""
    project = labeling_data.project_create(name="Queue benchmark", overlap=OVERLAP)
    members = labeling_data.members_create(project=project, count=annotators)
    labeling_data.items_create(project=project, count=items, rng=random.Random(seed))
    labeling_data.analyze()
    return project, [token for _, token in members]


def assignment_checks(project: Project) -> dict[str, int]:
    """Counts of what must never happen, read from the database, and of the work done."""
    assignments = Assignment.objects.filter(item__project=project)
    live = Q(assignments__status__in=[Assignment.Status.ACTIVE, Assignment.Status.QUEUED,
                                      Assignment.Status.SUBMITTED])
    items = Item.objects.filter(project=project).annotate(live=Count("assignments", filter=live))
    return {
        "same_annotator_twice": assignments.values("item", "annotator").annotate(n=Count("id"))
                                           .filter(n__gt=1).count(),
        "over_overlap": items.filter(live__gt=F("project__overlap")).count(),
        "counter_drift": items.exclude(assigned_count=F("live")).count(),
        "assignments": assignments.count(),
        "submitted": assignments.filter(status=Assignment.Status.SUBMITTED).count(),
    }


# --- running and reporting -------------------------------------------------------------

def run_mode(mode: Mode, args) -> Run:
    """Fresh database, data, server, load, checks; the server and the database go away after."""
    old = labeling_data.fresh_database("queue")
    try:
        project, tokens = fill(items=args.items, annotators=mode.clients, seed=args.seed)
        with Server(workers=args.workers, threads=args.threads) as server:
            run = drive(server=server, project_id=project.pk, tokens=tokens, mode=mode, seed=args.seed)
        run.server_log = server.final_log
        run.checks = assignment_checks(project)
        return run
    finally:
        teardown_databases(old, verbosity=0)


def run_demo_mode(mode: Mode, args) -> Run:
    """The same load on `make demo`'s stack: SQLite in a fresh var folder, `manage.py demo`
    (runserver and the Celery worker on the folder broker), the same data written in bulk."""
    with tempfile.TemporaryDirectory(prefix="newsroom-queue-demo-") as var_dir:
        var_dir = Path(var_dir)
        demo_stack.migrate(var_dir)
        data = demo_stack.fill(var_dir, items=args.items, annotators=mode.clients, seed=args.seed, overlap=OVERLAP)
        with demo_stack.Stack(var_dir) as server:
            run = drive(server=server, project_id=data["project"], tokens=data["tokens"], mode=mode, seed=args.seed)
        run.server_log = server.final_log
        run.checks = demo_stack.checks(var_dir, data["project"])
    return run


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ordered list (``share`` in 0..100)."""
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)] if ordered else float("nan")


def doubles(checks: dict[str, int]) -> int:
    return checks["same_annotator_twice"] + checks["over_overlap"]


def report(mode: Mode, run: Run, args, stack: str) -> None:
    server = (f"PostgreSQL, gunicorn {args.workers} workers x {args.threads} threads" if stack == "postgresql"
              else "make demo: SQLite, manage.py demo (runserver + worker)")
    print(f"\n== {mode.name}: {mode.clients} clients, pause {mode.pause_s:g} s, {mode.duration_s:g} s "
          f"(ran {run.elapsed:.1f} s); {server}; {args.items:,} items")
    _latency_table(run)
    requests = max(1, len(run.samples))
    print("  CPU ms per request: " + ", ".join(f"{part} {1000 * seconds / requests:.1f}"
                                               for part, seconds in run.cpu.items()))
    checks = run.checks
    print(f"  double assignments: {doubles(checks)} (annotator with an item twice: {checks['same_annotator_twice']}, "
          f"items over overlap {OVERLAP}: {checks['over_overlap']}){'  <-- MUST BE 0' if doubles(checks) else ''}")
    print(f"  assignments {checks['assignments']:,}, submitted {checks['submitted']:,}; "
          f"items whose assigned_count is off: {checks['counter_drift']}")


def _latency_table(run: Run) -> None:
    print(f"  {'endpoint':<9}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}")
    for endpoint in ("next", "submit", "all"):
        rows = [sample for sample in run.samples if endpoint in ("all", sample[0])]
        errors = sum(1 for _, status, _ in rows if status not in OK_STATUSES)
        ordered = sorted(seconds * 1000 for _, _, seconds in rows)
        print(f"  {endpoint:<9}{len(rows):>9,}{errors:>8,}{len(rows) / run.elapsed:>8.1f}"
              + "".join(f"{percentile(ordered, share):>9.1f}" for share in (50, 95, 99, 100)))
    exhausted = sum(1 for _, status, _ in run.samples if status == 204)
    if exhausted:
        print(f"  the queue ran out for {exhausted} clients, who stopped early: use more --items")
    statuses = sorted({status for _, status, _ in run.samples} - OK_STATUSES)
    if statuses:
        print(f"  error statuses: {', '.join(str(status) for status in statuses)} (0 = no answer)")
        print("  server log, last lines:\n    " + "\n    ".join(run.server_log.splitlines()[-20:]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000, help="open items (default 5,000)")
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=["steady", "saturated"])
    parser.add_argument("--duration", type=float, help="seconds per mode (default: steady 60, saturated 30)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", action="store_true",
                        help="also run each mode against `make demo`'s stack (SQLite, manage.py demo) and compare")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl+C: stop what was started, drop the database
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; server and load generator on this machine",
          flush=True)
    runs = {}
    for name in args.modes:
        mode = MODES[name]
        if args.duration:
            mode = replace(mode, duration_s=args.duration)
        for stack in ("postgresql", "demo") if args.demo else ("postgresql",):
            runs[mode.name, stack] = run = (run_demo_mode if stack == "demo" else run_mode)(mode, args)
            report(mode, run, args, stack)
    if args.demo:
        compare(runs)
    print(f"\nreference: {REFERENCE}")
    return 1 if any(doubles(run.checks) for run in runs.values()) else 0


def compare(runs: dict[tuple[str, str], Run]) -> None:
    """Each mode's figures on the real stack and on the demo's, side by side."""
    print(f"\n{'mode':<10}{'stack':<12}{'req/s':>8}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'doubles':>9}")
    for (mode, stack), run in runs.items():
        ordered = sorted(seconds * 1000 for _, _, seconds in run.samples)
        errors = sum(1 for _, status, _ in run.samples if status not in OK_STATUSES)
        print(f"{mode:<10}{stack:<12}{len(run.samples) / run.elapsed:>8.1f}{errors:>8,}{percentile(ordered, 50):>9.1f}"
              f"{percentile(ordered, 99):>9.1f}{doubles(run.checks):>9}")


def _interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
