"""The run: checkpoints of one growing corpus, each imported, seeded, served and measured."""

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test.utils import teardown_databases

from benchmarks import labeling_data
from ingest.models import Source

from . import exporting, processes, report, seeding, storage, web
from .importing import Importer, search_lag_wait, story_cluster_sizes
from .wire import Shares, WireCorpus

QUICK_SIZES = (2000, 10_000)
# Zipf ranks of the searched words: a title word in ~3% of titles, a body word in ~10% of articles,
# a rarer one in ~1%.
TITLE_WORD_RANK, TEXT_WORD_RANK, RARE_WORD_RANK = 50, 500, 5000


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="A million articles: import, serve, export and measure at checkpoints.")
    parser.add_argument("--sizes", type=lambda text: [int(size) for size in text.split(",")],
                        default=[10_000, 100_000, 1_000_000], help="checkpoints, comma-separated")
    parser.add_argument("--quick", action="store_true",
                        help=f"a small run: sizes {','.join(map(str, QUICK_SIZES))} (unless --sizes), short load")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--workers", type=int, default=2, help="processes preparing articles (default 2)")
    parser.add_argument("--steady-seconds", type=float, help="50 annotators' run (default 30; --quick 5)")
    parser.add_argument("--saturated-seconds", type=float, help="saturated run (default 15; --quick 3)")
    parser.add_argument("--samples", type=int, help=f"requests per URL (default {web.SAMPLES}; --quick 5)")
    parser.add_argument("--wire-share", type=float, default=Shares.wire, help="share of wire copy (default 0.3)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.quick and "--sizes" not in " ".join(argv or sys.argv):
        args.sizes = list(QUICK_SIZES)
    args.steady_seconds = args.steady_seconds or (5 if args.quick else 30)
    args.saturated_seconds = args.saturated_seconds or (3 if args.quick else 15)
    args.samples = args.samples or (5 if args.quick else web.SAMPLES)
    return args


def main(argv=None) -> int:
    args = parse(argv)
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit("Set CELERY_BROKER_URL (a Redis database of this run's own): releases are built by a worker.")
    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl+C: stop what was started, drop the database
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; sizes {args.sizes}; load average "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    old = labeling_data.fresh_database("scale")
    print("PostgreSQL: " + ", ".join(f"{name} {value}" for name, value in storage.server_settings().items()),
          flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="newsroom-scale-") as folder:
            result = run(args, Path(folder))
    finally:
        teardown_databases(old, verbosity=0)
    report.print_table(result)
    return 0


def run(args, folder: Path) -> dict:
    corpus = WireCorpus(args.seed, Shares(wire=args.wire_share))
    project = seeding.project_create()
    people = seeding.people_create(project)
    result = {"sizes": args.sizes, "settings": {"workers": args.workers, "chunk_size": settings.INGEST_CHUNK_SIZE,
                                                "wire_share": args.wire_share, "steady_s": args.steady_seconds,
                                                "saturated_s": args.saturated_seconds, "samples": args.samples},
              "machine": {"cpus": os.cpu_count(), "memory_gb": _memory_gb()},
              "database_server": storage.server_settings(),
              "notes": _notes(), "checkpoints": {}}
    importer = Importer(corpus, folder, workers=args.workers)
    try:
        for size in args.sizes:
            result["checkpoints"][str(size)] = checkpoint(size, args, importer, project, people, folder)
            report.write_json(result, args.out)
    finally:
        importer.close()
    return result


def checkpoint(size: int, args, importer: Importer, project, people: dict, folder: Path) -> dict:
    print(f"\n== checkpoint {size:,} articles", flush=True)
    figures = {"load_average": os.getloadavg()[0]}
    before = seeding.statistics_state()
    stage = importer.grow_to(size)
    print(f"  imported {stage['from']:,}->{size:,}: {stage['rate']:,.0f} articles/s ({stage['import_s']:.0f} s, "
          f"generating {stage['generate_s']:.0f} s apart); last {stage['last_window']:,}: "
          f"{stage['last_window_ms']:.3f} ms/article; created {stage['created']:,}, duplicates "
          f"{stage['duplicates']:,}, same story {stage['same_story']:,}, failed {stage['failed']:,}", flush=True)
    figures["import"] = stage
    stage["story_clusters"] = story_cluster_sizes()
    print(f"  story clusters: {stage['story_clusters']['clusters']:,}, largest {stage['story_clusters']['largest']}",
          flush=True)
    after = seeding.statistics_state()
    figures["statistics"] = {"autovacuum": after["autovacuum"], "analysed_by_import": {
        table: count > before["analyses"].get(table, 0) for table, count in after["analyses"].items()}}
    started = time.perf_counter()
    figures["labels"] = seeding.labels_seed(project=project, people=people, size=size, rng=random.Random(size))
    seeding.analyse()
    print(f"  seeded {figures['labels']} and analysed in {time.perf_counter() - started:.0f} s", flush=True)
    figures["storage"] = sizes = storage.database_sizes()
    for group in ("band_keys", "items"):
        sizes[f"{group}_per_article"] = sum(sizes["per_article"][group].values())
    print(f"  database {sizes['database_bytes'] / 2**30:.2f} GB, {sizes['database_per_article']:,.0f} bytes/article",
          flush=True)
    figures.update(served(args, project, people, folder, importer.corpus))
    figures["load_average_end"] = os.getloadavg()[0]
    return figures


def served(args, project, people: dict, folder: Path, corpus: WireCorpus) -> dict:
    """Everything measured with the web server and the worker running."""
    figures = {}
    source_id = Source.objects.order_by("id").values_list("id", flat=True).first()
    title_word, text_word = corpus.words[TITLE_WORD_RANK], corpus.words[TEXT_WORD_RANK]
    media = folder / "media"
    media.mkdir(exist_ok=True)
    with processes.WebServer() as server, processes.Worker(folder / "worker.log", media) as worker:
        sampler = processes.MemorySampler({"web": server.process.pid, "worker": worker.process.pid})
        warm = web.Fetcher(server.port, {"Cookie": people["session_cookie"]})
        for _ in range(2 * processes.WEB_WORKERS):
            warm.get("/")
        warm.close()
        figures["memory"] = {"idle": sampler.snapshot()}
        with sampler:
            figures["search_lag"] = search_lag_wait()
            if figures["search_lag"]:
                print(f"  search vectors: {figures['search_lag']['pending']:,} articles made searchable by the "
                      f"worker in {figures['search_lag']['seconds']:.0f} s", flush=True)
            common = {"port": server.port, "project_id": project.pk, "samples": args.samples}
            figures["pages"] = web.pages(cookie=people["session_cookie"], **common)
            _print_timings("pages", figures["pages"])
            figures["lists"] = web.api_lists(token=people["manager_token"], source_id=source_id,
                                             title_word=title_word, text_word=text_word,
                                             rare_word=corpus.words[RARE_WORD_RANK], **common)
            _print_timings("lists", figures["lists"])
            figures["browser"] = web.browser_pages(cookie=people["session_cookie"], source_id=source_id,
                                                   title_word=title_word, **common)
            _print_timings("item browser", figures["browser"] or {})
            figures["queue"] = web.labeling_queue(server=server, project_id=project.pk,
                                                  tokens=[token for _, token in people["annotators"]],
                                                  steady_s=args.steady_seconds, saturated_s=args.saturated_seconds,
                                                  seed=args.seed)
            figures["queue"]["errors"] = figures["queue"]["steady"]["errors"] + figures["queue"]["saturated"]["errors"]
            _print_queue(figures["queue"])
            figures["release"] = exporting.release_build(project=project, user=people["manager"])
            print(f"  release: {figures['release']['status']} in {figures['release']['seconds']:.1f} s "
                  f"({figures['release']['documents']:,} documents)", flush=True)
        figures["memory"]["peak"] = sampler.peak
    figures["exports"] = exporting.streamed_exports(project=project, folder=folder)
    for fmt, export in figures["exports"].items():
        print(f"  export {fmt}: {export['rate']:,.0f} docs/s, peak RSS {export['peak_rss_mb']:.0f} MB", flush=True)
    print(f"  memory idle {figures['memory']['idle']}, peak {figures['memory']['peak']}", flush=True)
    return figures


def _print_timings(title: str, timings: dict) -> None:
    if not timings:
        print(f"  {title}: none", flush=True)
    for name, figure in timings.items():
        print(f"  {title:<13}{name:<20} p50 {figure['p50_ms']:8.1f} ms  p95 {figure['p95_ms']:8.1f} ms"
              f"{'  errors ' + str(figure['errors']) if figure['errors'] else ''}", flush=True)


def _print_queue(queue: dict) -> None:
    for mode in ("steady", "saturated"):
        figures = queue[mode]
        print(f"  queue {mode:<10} {figures['clients']} clients: {figures['requests_per_s']:.0f} req/s, next p50 "
              f"{figures['next']['p50_ms']:.1f} p99 {figures['next']['p99_ms']:.1f} ms, submit p50 "
              f"{figures['submit']['p50_ms']:.1f} p99 {figures['submit']['p99_ms']:.1f} ms, errors {figures['errors']}",
              flush=True)


def _notes() -> list[str]:
    return [
        "no pre-annotation over the corpus: gold on "
        f"{seeding.GOLD_ITEMS:,} items (a quarter of a smaller corpus), each with {seeding.GOLD_ANNOTATORS} "
        "annotators' submitted labels and one prediction, written in bulk SQL",
        "planner statistics: 'statistics' says whether the import left any; the benchmark then runs ANALYZE "
        "(autovacuum's job in a deployment) before measuring",
        "exports are of the project's gold; the release is JSONL, built by the worker",
        "generation of the corpus is timed apart and not counted in import rates",
    ]


def _memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 2**20, 1)
    return 0.0


def _interrupted(signum, frame):
    raise KeyboardInterrupt
