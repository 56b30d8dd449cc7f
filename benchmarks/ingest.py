"""Import throughput and dedupe growth: python -m benchmarks.ingest [--sizes 10000 50000] [--workers 2] [--chunk-size N]
[--syndication heavy] [--compare-with CHECKOUT]

Generates news-like articles (with page junk, exact duplicates and syndicated rewrites;
with ``--syndication heavy``, wire copy: 90% rewrites of agency stories, 50 on the wire at
once, 200 copies each), writes them as JSONL and imports each size into a fresh test
database through the same reader and service as ``import_articles``. Prints end-to-end
articles/s, the time spent in dedupe (band keys + story clustering) per article over the
whole run and over its last 5,000 articles, by the clock and in CPU time (this process and its
PostgreSQL server process, when the server runs here), and, in the same run, a baseline: a plain bulk
insert of the raw texts with no cleaning, metadata or dedupe (what a tool that stores text
as-is does).

``--compare-with`` names another checkout of the project (say, ``git worktree add
/tmp/base main``): each size is imported again with that checkout's code, same corpus,
same run, and the story clusters of both are compared with each other and with the
agency stories the corpus was made from.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.ingest
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.corpus import write_jsonl  # noqa: E402
from benchmarks.story_quality import clusters_against, clusters_compared  # noqa: E402
from ingest import chunks, services  # noqa: E402
from ingest.models import Article  # noqa: E402
from ingest.readers import read_path  # noqa: E402
from ingest.search import import_batch_search_build  # noqa: E402

# Label Studio 1.23 importing 10,000 raw news texts on this machine kind (no cleaning, no dedupe).
LABEL_STUDIO_ARTICLES_PER_S = 3600
TARGET_ARTICLES_PER_S = 1000
MARGINAL_WINDOW = 5000


def cpu_seconds() -> float:
    """CPU time of this thread and of the PostgreSQL server process serving its connection
    (when that runs on this machine), in seconds; nan where the server's cannot be read.

    What a step costs, without the time it waits for a core: on a machine of two cores the
    import's preparing processes run beside it, and a wall-clock timer counts their turns too.
    """
    own, handle = time.thread_time(), connection.connection
    if connection.vendor != "postgresql" or handle is None:
        return float("nan")
    process = Path(f"/proc/{handle.info.backend_pid}")
    try:
        if not process.joinpath("cmdline").read_bytes().startswith(b"postgres"):
            return float("nan")  # a server elsewhere (another host, a container): not its pid here
        return own + int(process.joinpath("schedstat").read_text().split()[0]) / 1e9
    except OSError:
        return float("nan")


class DedupeClock:
    """Accumulates the time spent writing band keys and assigning story clusters, per chunk:
    by the clock, and in CPU time (``cpu_seconds``)."""

    def __init__(self):
        # Per chunk: articles, then seconds writing band keys and finding stories by the clock,
        # then the same two in CPU seconds.
        self.chunks = []
        # The step that writes keys is named as the import service names it (older code: _create_band_keys).
        self._store_name = "band_keys_store" if hasattr(chunks, "band_keys_store") else "_create_band_keys"
        self._band_keys, self._join = getattr(chunks, self._store_name), chunks.story_clusters_join

    def __enter__(self):
        def join(**kwargs):
            start, cpu = time.perf_counter(), cpu_seconds()
            result = self._join(**kwargs)
            self._finding = time.perf_counter() - start, cpu_seconds() - cpu
            return result

        def band_keys(ids, *args):  # runs after join, in the same chunk
            start, cpu = time.perf_counter(), cpu_seconds()
            self._band_keys(ids, *args)
            wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            self.chunks.append((len(ids), wall, self._finding[0], cpu, self._finding[1]))

        setattr(chunks, self._store_name, band_keys)
        chunks.story_clusters_join = join
        return self

    def __exit__(self, *exc):
        setattr(chunks, self._store_name, self._band_keys)
        chunks.story_clusters_join = self._join

    def per_article_ms(self, last: int | None = None, part: slice = slice(1, 3)) -> float:
        """Milliseconds per article over the run (or its last ``last`` articles), for the
        parts chosen by ``part``: 1 = writing band keys, 2 = finding stories, by the clock;
        3 and 4 the same in CPU time."""
        chunks = self.chunks
        if last:
            picked, count = [], 0
            for chunk in reversed(chunks):
                if count >= last:
                    break
                picked.append(chunk)
                count += chunk[0]
            chunks = picked
        articles = sum(chunk[0] for chunk in chunks)
        return 1000 * sum(sum(chunk[part]) for chunk in chunks) / max(1, articles)


def story_clusters() -> dict[str, int]:
    """url -> story cluster of every clustered article (urls name the corpus records)."""
    return dict(Article.objects.filter(story_cluster__isnull=False).values_list("url", "story_cluster_id").iterator())


def run_import(path: Path, workers: int) -> dict:
    batch = services.import_batch_create(inputs=[{"name": str(path)}], fmt="jsonl")
    # The search vectors' job runs on a worker after the import; here it is timed on its own.
    queue_search, services.import_batch_search_enqueue = services.import_batch_search_enqueue, lambda **_: True
    try:
        with DedupeClock() as clock, _pool(workers) as prepare_map:
            start = time.perf_counter()
            services.import_batch_run(batch=batch, results=read_path(path, fmt="jsonl"), prepare_map=prepare_map)
            seconds = time.perf_counter() - start
    finally:
        services.import_batch_search_enqueue = queue_search
    start = time.perf_counter()
    indexed = import_batch_search_build(batch=batch)
    search_seconds = time.perf_counter() - start
    batch.refresh_from_db()
    return {
        "items": batch.processed_count, "seconds": seconds, "rate": batch.processed_count / seconds,
        "created": batch.created_count, "duplicates": batch.duplicate_count,
        "same_story": batch.near_duplicate_count, "failed": batch.failed_count,
        "dedupe_ms": clock.per_article_ms(), "dedupe_last_ms": clock.per_article_ms(MARGINAL_WINDOW),
        "write_last_ms": clock.per_article_ms(MARGINAL_WINDOW, slice(1, 2)),
        "find_last_ms": clock.per_article_ms(MARGINAL_WINDOW, slice(2, 3)),
        "cpu_ms": clock.per_article_ms(part=slice(3, 5)),
        "cpu_last_ms": clock.per_article_ms(MARGINAL_WINDOW, slice(3, 5)),
        "search_rate": indexed / search_seconds if search_seconds else 0.0,
    }


def run_baseline(path: Path) -> dict:
    """Store every record's raw text as-is: no cleaning, metadata, hashing or clustering."""
    batch = services.import_batch_create(inputs=[{"name": str(path)}], fmt="jsonl")
    start = time.perf_counter()
    chunk, count = [], 0
    for number, record in enumerate(read_path(path, fmt="jsonl")):
        chunk.append(Article(title=record.title, body=record.text, raw_text=record.raw_text, minhash=b"",
                             content_hash=f"baseline-{batch.pk}-{number}", import_batch=batch))
        if len(chunk) == 500:
            count += len(Article.objects.bulk_create(chunk))
            chunk = []
    count += len(Article.objects.bulk_create(chunk))
    seconds = time.perf_counter() - start
    return {"items": count, "seconds": seconds, "rate": count / seconds}


class _pool:
    def __init__(self, workers):
        self.workers = workers
        self.executor = None

    def __enter__(self):
        if self.workers <= 1:
            return map
        from concurrent.futures import ProcessPoolExecutor

        self.executor = ProcessPoolExecutor(self.workers)
        return lambda fn, *its: self.executor.map(fn, *its, chunksize=32)

    def __exit__(self, *exc):
        if self.executor:
            self.executor.shutdown()


def fresh_database():
    """A new, migrated test database (test_<name>), so the benchmark never touches real data."""
    from django.test.utils import setup_databases

    return setup_databases(verbosity=0, interactive=False)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--workers", type=int, default=2, help="processes preparing articles (default 2)")
    parser.add_argument("--chunk-size", type=int, default=settings.INGEST_CHUNK_SIZE,
                        help="articles per transaction (default: INGEST_CHUNK_SIZE, %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--syndication", choices=["default", "heavy"], default="default",
                        help="heavy: 90%% of articles rewrites of agency stories (wire copy)")
    parser.add_argument("--compare-with", type=Path, metavar="CHECKOUT",
                        help="also import each size with the code of this checkout of the project")
    parser.add_argument("--import-only", nargs=2, type=Path, metavar=("CORPUS", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings.INGEST_CHUNK_SIZE = args.chunk_size
    if args.import_only:  # the run with another checkout's code: one corpus, results as JSON
        corpus, result = args.import_only
        result.write_text(json.dumps(measure(corpus, args.workers, baseline=False)))
        return
    print(f"database: {connection.vendor}; workers: {args.workers}; chunk size: {args.chunk_size}; "
          f"syndication: {args.syndication}; python {sys.version.split()[0]}; load average {_load()}")
    results, compared = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path, stories = Path(tmp) / f"articles-{size}.jsonl", []
            write_jsonl(path, size, random.Random(args.seed), syndication=args.syndication, stories=stories)
            results[size] = measure(path, args.workers)
            report(size, results[size])
            report_quality(results[size]["clusters"], stories)
            if args.compare_with:
                compared[size] = import_elsewhere(args.compare_with, path, args)
                report(size, compared[size], f"with {args.compare_with}")
                report_clusters(results[size]["clusters"], compared[size]["clusters"], stories)
    growth(results)
    if compared:
        growth(compared, f"with {args.compare_with}")


def measure(path: Path, workers: int, baseline: bool = True) -> dict:
    """Import ``path`` into a fresh test database (and, with ``baseline``, store it raw)."""
    from django.test.utils import teardown_databases

    old = fresh_database()
    try:
        result = run_import(path, workers)
        result["clusters"] = story_clusters()
        result["baseline"] = run_baseline(path) if baseline else None
    finally:
        teardown_databases(old, verbosity=0)
    return result


def import_elsewhere(checkout: Path, path: Path, args) -> dict:
    """``measure`` run by the code of ``checkout`` (its ingest app, settings and all), with this
    benchmark: a process whose import path starts at the checkout, with this package loaded first."""
    here = Path(__file__).resolve().parent
    bootstrap = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('benchmarks', {str(here / '__init__.py')!r}, "
        f"submodule_search_locations=[{str(here)!r}])\n"
        "sys.modules['benchmarks'] = module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "from benchmarks.ingest import main\n"
        "main(sys.argv[1:])\n"
    )
    result = path.with_suffix(".elsewhere.json")
    subprocess.run([sys.executable, "-c", bootstrap, "--workers", str(args.workers), "--chunk-size",
                    str(args.chunk_size), "--import-only", str(path), str(result)], cwd=checkout, check=True)
    return json.loads(result.read_text())


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def growth(results: dict, label: str = "") -> None:
    if len(results) < 2:
        return
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    for name, key in (("", "dedupe_last_ms"), (" in CPU time", "cpu_last_ms")):
        if key not in small or math.isnan(small[key]):  # an older run's results, or a server elsewhere
            continue
        print(f"\ndedupe per article{name}{f' ({label})' if label else ''}, last {MARGINAL_WINDOW:,}: "
              f"{small[key]:.3f} ms at {sizes[0]:,} -> {large[key]:.3f} ms at {sizes[-1]:,}: "
              f"x{large[key] / small[key]:.2f} (target <= 1.5)")


def report_clusters(ours: dict, theirs: dict, stories: list) -> None:
    """How the story clusters of the two codes differ, and how each matches the agency stories."""
    truth = _truth(stories)
    found = clusters_compared(ours, theirs, truth)
    print(f"  story clusters  this code {found['ours']:,}, other code {found['theirs']:,}; "
          f"the same {found['same']:,}; pairs of articles together only here {found['only_ours']:,}, "
          f"only there {found['only_theirs']:,}")
    for name in ("ours", "theirs") if truth else ():
        print(f"  vs agency stories ({'this' if name == 'ours' else 'other'} code): "
              f"{found[name + '_recall']:.4f} of the pairs of copies of one story together, "
              f"{found[name + '_false']:,} pairs of different stories together")


def report_quality(clusters: dict, stories: list) -> None:
    """How the story clusters match the agency stories the corpus was made from (if it has any)."""
    truth = _truth(stories)
    if not truth:
        return
    found = clusters_against(clusters, truth)
    print(f"  vs agency stories {found['recall']:.4f} of the pairs of copies of one story together, "
          f"{found['false']:,} pairs of different stories together; the largest cluster "
          f"{found['largest']:,} articles of {found['largest_stories']:,} agency stories")


def _truth(stories: list) -> dict:
    return {f"https://news.example/{number}": story for number, story in enumerate(stories) if story is not None}


def report(size: int, r: dict, label: str = "") -> None:
    base = r["baseline"]
    print(f"\n== {size:,} articles{f' ({label})' if label else ''}; load average {_load()}")
    print(f"  end to end      {r['rate']:8.0f} articles/s  ({r['seconds']:.1f} s; target >= {TARGET_ARTICLES_PER_S}, "
          f"Label Studio reference {LABEL_STUDIO_ARTICLES_PER_S} without cleaning or dedupe)")
    if base:
        print(f"  raw baseline    {base['rate']:8.0f} articles/s  (plain bulk insert of raw text, same machine, "
              "same run)")
    print(f"  outcome         created {r['created']:,}, duplicates {r['duplicates']:,}, "
          f"same story {r['same_story']:,}, failed {r['failed']:,}")
    print(f"  dedupe          {r['dedupe_ms']:.3f} ms/article overall, {r['dedupe_last_ms']:.3f} ms/article "
          f"over the last {MARGINAL_WINDOW:,} (writing keys {r['write_last_ms']:.3f}, "
          f"finding stories {r['find_last_ms']:.3f})")
    if not math.isnan(r.get("cpu_last_ms", math.nan)):
        print(f"  dedupe, CPU     {r['cpu_ms']:.3f} ms/article overall, {r['cpu_last_ms']:.3f} ms/article over the last "
              f"{MARGINAL_WINDOW:,} (this process and its database server process)")
    print(f"  search vectors  {r['search_rate']:8.0f} articles/s  (built after the import, as a worker does)")


if __name__ == "__main__":
    main()
