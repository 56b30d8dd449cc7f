"""Importing the growing corpus through the product's import path (the reader and service of
``manage.py import_articles``, with cleaning, metadata, dedupe, story clusters and items for
the project whose intake takes every article), timed, with progress, rate and ETA printed."""

import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count

from ingest import chunks, services
from ingest.models import Article
from ingest.readers import read_path

from .wire import WireCorpus

# Records per generated file, each imported as one batch (as a daily feed dump would be).
FILE_ARTICLES = 100_000
# The window of the marginal cost: the last this many articles before each checkpoint.
MARGINAL_WINDOW = 10_000
PROGRESS_EVERY_S = 15.0
# How long the worker may take to make a checkpoint's new articles searchable.
SEARCH_LAG_TIMEOUT_S = 1800
# Records a preparing process takes per round trip (the import command's value).
POOL_CHUNKSIZE = 32


@dataclass
class Timeline:
    """Import seconds (generation excluded) against articles imported, over the whole corpus."""

    points: list[tuple[int, float]] = field(default_factory=lambda: [(0, 0.0)])
    clustering: list[tuple[int, float]] = field(default_factory=list)  # (articles in chunk, seconds)

    @property
    def seconds(self) -> float:
        return self.points[-1][1]

    def marginal_ms(self, end: int, window: int = MARGINAL_WINDOW) -> float:
        """Milliseconds per article over the last ``window`` articles before ``end``."""
        start = max(0, end - window)
        before = max((point for point in self.points if point[0] <= start), key=lambda point: point[0])
        after = min((point for point in self.points if point[0] >= end), key=lambda point: point[0])
        return 1000 * (after[1] - before[1]) / max(1, after[0] - before[0])

    def batch_end(self, first: int, seconds: float) -> None:
        """Share what a batch did after its last article (ANALYZE, closing the batch) among its
        articles: the points from index ``first`` on (this batch's) move later by that work in
        proportion to the articles before them, so the batch ends at ``seconds`` and a window's
        cost carries its share of the batch's end."""
        (start, base), (end, last) = self.points[first - 1], self.points[-1]
        extra, articles = seconds - last, max(1, end - start)
        self.points[first:] = [(count, at + extra * (count - start) / articles) for count, at in self.points[first:]]

    def clustering_ms(self, window: int = MARGINAL_WINDOW) -> float | None:
        """Milliseconds per article spent finding story clusters, over the last ``window`` articles."""
        if not self.clustering:
            return None
        articles = seconds = 0
        for count, spent in reversed(self.clustering):
            if articles >= window:
                break
            articles, seconds = articles + count, seconds + spent
        return 1000 * seconds / max(1, articles)


@contextmanager
def clustering_clock(timeline: Timeline):
    """Times each chunk's story clustering, where the import service has that step under this name."""
    original = getattr(chunks, "story_clusters_join", None)
    if original is None:
        yield
        return

    def timed(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        fingerprints = kwargs.get("fingerprints", args[0] if args else ())
        timeline.clustering.append((len(fingerprints), time.perf_counter() - started))
        return result

    chunks.story_clusters_join = timed
    try:
        yield
    finally:
        chunks.story_clusters_join = original


def _warm(number: int) -> None:
    """Prepare one made-up article in a preparing process (its imports and first-use set-up)."""
    from ingest.preparation import prepare_article
    from ingest.readers.base import RawArticle

    text = "\n\n".join(f"Paragraph {n} of a warm-up story about the harbour board and its budget, "
                         f"written for process {number}." for n in range(6))
    prepare_article(RawArticle(origin=f"warm-up:{number}", raw_text=text, text=text, title="Warm-up",
                               published="2026-01-02", format="jsonl"))


class Importer:
    """Imports the corpus up to each checkpoint, one generated file (one batch) at a time."""

    def __init__(self, corpus: WireCorpus, folder: Path, *, workers: int):
        self.corpus, self.folder, self.workers = corpus, folder, workers
        self.imported = 0
        self.timeline = Timeline()
        self.pool = ProcessPoolExecutor(workers) if workers > 1 else None
        if self.pool:
            # Started and warmed before anything is timed: the first checkpoint's rate would
            # otherwise carry the processes' start and imports, and flatter the later ones.
            list(self.pool.map(_warm, range(4 * workers)))

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown()

    def prepare_map(self, fn, *iterables):
        if self.pool is None:
            return map(fn, *iterables)
        return self.pool.map(fn, *iterables, chunksize=POOL_CHUNKSIZE)

    def grow_to(self, size: int) -> dict:
        """Import articles until the corpus holds ``size`` records; the stage's figures."""
        stage = {"from": self.imported, "to": size, "generate_s": 0.0, "import_s": 0.0, "batches": 0,
                 "created": 0, "duplicates": 0, "same_story": 0, "failed": 0}
        started_at, target = self.timeline.seconds, size
        while self.imported < target:
            count = min(FILE_ARTICLES, target - self.imported)
            began = time.perf_counter()
            path = self.corpus.write_jsonl(self.folder / f"articles-{self.imported:07d}.jsonl", count)
            stage["generate_s"] += time.perf_counter() - began
            batch = self._import_file(path, count, stage_start=stage["from"], target=target, started_at=started_at)
            path.unlink()
            for key, counter in (("created", "created_count"), ("duplicates", "duplicate_count"),
                                 ("same_story", "near_duplicate_count"), ("failed", "failed_count")):
                stage[key] += getattr(batch, counter)
            stage["batches"] += 1
        stage["import_s"] = self.timeline.seconds - started_at
        stage["rate"] = (size - stage["from"]) / stage["import_s"]
        stage["last_window"] = min(MARGINAL_WINDOW, size)
        stage["last_window_ms"] = self.timeline.marginal_ms(size)
        stage["last_window_rate"] = 1000 / stage["last_window_ms"]
        stage["clustering_last_window_ms"] = self.timeline.clustering_ms()
        return stage

    def _import_file(self, path: Path, count: int, *, stage_start: int, target: int, started_at: float):
        batch = services.import_batch_create(inputs=[{"name": path.name}], fmt="jsonl", total=count)
        base_articles, base_seconds = self.imported, self.timeline.seconds
        began = time.perf_counter()
        printed = [began]

        def on_progress(done: int, _total) -> None:
            now = time.perf_counter()
            self.timeline.points.append((base_articles + done, base_seconds + now - began))
            if now - printed[0] >= PROGRESS_EVERY_S:
                printed[0] = now
                self._print_progress(base_articles + done, stage_start, target, started_at)

        first = len(self.timeline.points)
        with clustering_clock(self.timeline):
            batch = services.import_batch_run(batch=batch, results=read_path(path, fmt="jsonl"),
                                              prepare_map=self.prepare_map, on_progress=on_progress)
        if len(self.timeline.points) > first:
            self.timeline.batch_end(first, base_seconds + time.perf_counter() - began)
        self.imported += count
        batch.refresh_from_db()
        return batch

    def _print_progress(self, done: int, stage_start: int, target: int, started_at: float) -> None:
        seconds = self.timeline.seconds - started_at
        rate = (done - stage_start) / max(seconds, 1e-9)
        recent = 1000 / self.timeline.marginal_ms(done, window=5000)
        eta = (target - done) / max(recent, 1e-9)
        print(f"  import {done:,}/{target:,}: {rate:,.0f} articles/s in this stage, {recent:,.0f}/s over the "
              f"last 5,000; ETA {eta / 60:.1f} min (generation not counted)", flush=True)


def search_lag_wait() -> dict | None:
    """Where search vectors are built off the import path (by a worker's job after each batch),
    wait until none is pending: the seconds that took, counted from the worker's start, and the
    articles made searchable per second. None where search needs no such job."""
    try:
        from ingest.search import search_pending_count
    except ImportError:
        return None
    started = time.perf_counter()
    pending = search_pending_count()
    deadline = time.monotonic() + SEARCH_LAG_TIMEOUT_S
    left = pending
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = search_pending_count()
    seconds = time.perf_counter() - started
    return {"pending": pending, "left": left, "seconds": seconds, "rate": (pending - left) / seconds if pending else None}


def story_cluster_sizes() -> dict:
    """How many story clusters the corpus has and the sizes of the largest: a wire story has a few
    hundred copies at most, so a far bigger cluster means unrelated stories were chained."""
    sizes = (Article.objects.exclude(story_cluster=None).values("story_cluster").annotate(size=Count("id"))
             .order_by("-size").values_list("size", flat=True))
    return {"clusters": sizes.count(), "largest": list(sizes[:3])}
