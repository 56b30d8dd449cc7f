"""Pre-annotation of new imports while a model trains: python -m benchmarks.learning_contention
[--articles 600] [--rounds 2] [--quick]

Two real ``celery -A newsroom worker`` processes on Redis and a fresh PostgreSQL test database,
as a deployment runs them: a pre-annotation worker (one process, the default queue) and a
training worker (one process, ``-Q training`` only). Each round times the pre-annotation
(``spacy-ner``) of the same ``--articles`` new articles from enqueue until the run is done:

- alone, with the training worker idle;
- while the training worker trains an entity model (the ``ner`` kind, the heaviest) on 200 gold
  documents of ``benchmarks.learning_news`` stories, started a few seconds before the enqueue
  so that the whole timed pre-annotation overlaps the training (checked: the row says whether
  the training was still running when the pre-annotation finished).

Prints both throughputs per round, the slowdown (target: at most 20%), the training's own
duration, and the load average around each timing (other jobs on the machine move the figures).
The training worker runs as configured (MODEL_TRAINING_THREADS, MODEL_TRAINING_NICE); run with
MODEL_TRAINING_THREADS=0 MODEL_TRAINING_NICE=0 to measure a training without those bounds.
Use PostgreSQL and Redis: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom
CELERY_BROKER_URL=redis://127.0.0.1:6379/15 python -m benchmarks.learning_contention
"""

import argparse
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.preannotate import (BROKER_URL, WARM_UP_ITEMS, Workers, article_text, project_with_items,  # noqa: I001
                                    wait_done)  # sets up Django first

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import teardown_databases  # noqa: E402

from annotations.gold import gold_accept  # noqa: E402
from annotations.models import (EntityType, GoldSplit, Item, ModelVersion, Prediction, PreannotationRun,  # noqa: E402
                                Project)
from annotations.preannotation.learning.versions import model_version_create  # noqa: E402
from annotations.preannotation.runs import preannotation_enqueue  # noqa: E402
from annotations.validation import SpanInput  # noqa: E402
from benchmarks import labeling_data  # noqa: E402
from benchmarks.learning import held_out  # noqa: E402
from benchmarks.learning_news import ENTITY_TYPES, news_corpus  # noqa: E402
from ingest.models import Article, Source  # noqa: E402
from newsroom.celery import app  # noqa: E402

TRAIN_TASK = "annotations.model_version_train"
TRAINING_DOCUMENTS = 200
GOLD_STORIES = 260  # about 209 on the training side, 51 held out (benchmarks.learning's split)
# Seconds between the training's claim and the enqueue: its gold is read and spaCy loaded by then.
TRAINING_HEAD_START = 8
TRAINING_TIMEOUT_S = 1800
QUICK_ARTICLES = 300


def gold_project_create() -> Project:
    """A project with PER/ORG/LOC/MISC and accepted gold for every generated story, each item on the
    side of the split the story was generated for."""
    project = Project.objects.create(name="Learning", overlap=1)
    EntityType.objects.bulk_create([EntityType(project=project, name=name, hotkey=name[0].lower())
                                    for name in ENTITY_TYPES])
    reviewer = get_user_model().objects.create_user(username=f"reviewer-{uuid.uuid4().hex[:8]}")
    source, _ = Source.objects.get_or_create(name="Benchmark Wire")
    for number, story in enumerate(news_corpus(GOLD_STORIES, held_out=held_out), start=1):
        side = GoldSplit.HELD_OUT if held_out(number) else GoldSplit.TRAIN
        with transaction.atomic():
            article = Article.objects.create(title=f"Story {number}", body=story.text, raw_text=story.text,
                                             source=source, language="en", minhash=b"",
                                             content_hash=f"story-{number}-{uuid.uuid4().hex}"[:64])
            item = Item.objects.create(project=project, article=article, gold_split=side)
            spans = [SpanInput(start, end, label, story.text[start:end]) for start, end, label in story.spans]
            gold_accept(item=item, reviewer=reviewer, spans=spans)
    return project


def preannotate_seconds(project, log: Path) -> float:
    """Seconds from enqueue until every item of ``project`` has its spacy-ner predictions again."""
    Prediction.objects.filter(item__project=project).delete()
    started = time.perf_counter()
    runs = preannotation_enqueue(project=project)
    wait_done(runs, log)
    elapsed = time.perf_counter() - started
    failed = sum(run.failed_count for run in PreannotationRun.objects.filter(pk__in=[r.pk for r in runs]))
    if failed:
        raise SystemExit(f"{failed} items failed; see the runs. Worker log:\n{log.read_text()[-3000:]}")
    return elapsed


def while_training(project, gold_project, log: Path) -> tuple[float, bool, ModelVersion]:
    """Pre-annotation seconds while an entity model trains on TRAINING_DOCUMENTS gold documents;
    whether the training was still running at the end; the version once trained."""
    version = model_version_create(project=gold_project, kind="ner", trigger="benchmark",
                                   settings={"train_limit": TRAINING_DOCUMENTS})
    deadline = time.monotonic() + 120
    while ModelVersion.objects.get(pk=version.pk).status == ModelVersion.Status.PENDING:
        if time.monotonic() > deadline:
            raise SystemExit("No training worker claimed the version. Log:\n" + log.read_text()[-3000:])
        time.sleep(0.1)
    time.sleep(TRAINING_HEAD_START)
    seconds = preannotate_seconds(project, log)
    overlapped = ModelVersion.objects.get(pk=version.pk).status == ModelVersion.Status.TRAINING
    deadline = time.monotonic() + TRAINING_TIMEOUT_S
    while ModelVersion.objects.get(pk=version.pk).status == ModelVersion.Status.TRAINING:
        if time.monotonic() > deadline:
            raise SystemExit("The training did not finish. Log:\n" + log.read_text()[-3000:])
        time.sleep(0.5)
    version.refresh_from_db()
    if version.status != ModelVersion.Status.DONE:
        raise SystemExit(f"The training failed: {version.error}")
    return seconds, overlapped, version


def load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="new articles pre-annotated per timing")
    parser.add_argument("--words", type=int, default=500, help="words per article (about)")
    parser.add_argument("--rounds", type=int, default=2, help="alone / while training pairs")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES} articles, one round")
    args = parser.parse_args()
    articles, rounds = (QUICK_ARTICLES, 1) if args.quick else (args.articles, args.rounds)
    default_queue, training_queue = f"bench-{uuid.uuid4().hex[:8]}", f"bench-training-{uuid.uuid4().hex[:8]}"
    app.conf.update(task_always_eager=False, broker_url=BROKER_URL, task_default_queue=default_queue,
                    task_routes={TRAIN_TASK: {"queue": training_queue}})
    rng = random.Random(7)
    texts = [article_text(rng, args.words) for _ in range(articles)]
    print(f"{articles:,} articles, {sum(len(t.split()) for t in texts):,} words per timing; broker {BROKER_URL}")
    old_config = labeling_data.fresh_database("learning_contention")
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    log = work / "workers.log"
    media = {"MEDIA_ROOT": str(work / "media")}
    try:
        project = project_with_items("Imports", texts, ["spacy-ner"])
        warm_up = project_with_items("Warm-up", texts[:WARM_UP_ITEMS], ["spacy-ner"])
        gold_project = gold_project_create()
        labeling_data.analyze()
        with Workers(1, 1, default_queue, log, env=media), \
                Workers(1, 1, training_queue, log, env={**media, "MODEL_TRAINING_QUEUE": training_queue}):
            wait_done(preannotation_enqueue(project=warm_up), log)
            print("\n| round | pre-annotation alone: s, articles/s (load) | while training: s, articles/s (load) "
                  "| slowdown | training overlapped the whole timing | training s (200 docs) |")
            print("|---|---|---|---|---|---|")
            alone_total = busy_total = 0.0
            for round_number in range(1, rounds + 1):
                before = load()
                alone = preannotate_seconds(project, log)
                during_load = load()
                busy, overlapped, version = while_training(project, gold_project, log)
                after = load()
                alone_total, busy_total = alone_total + alone, busy_total + busy
                print(f"| {round_number} | {alone:.1f}, {articles / alone:.1f} ({before} -> {during_load}) | "
                      f"{busy:.1f}, {articles / busy:.1f} (-> {after}) | {(busy / alone - 1) * 100:+.0f}% | "
                      f"{'yes' if overlapped else 'no'} | {version.duration_seconds:.0f} |", flush=True)
        print(f"\nAll rounds: alone {articles * rounds / alone_total:.1f} articles/s, while training "
              f"{articles * rounds / busy_total:.1f} articles/s: slowdown {(busy_total / alone_total - 1) * 100:+.0f}% "
              "(target: at most +20%).")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
