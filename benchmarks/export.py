"""Export throughput and memory: python -m benchmarks.export [--sizes 10000 100000] [--formats jsonl conll]

For each size, makes a fresh test database holding one project with that many gold articles
(~300 words, 3-8 entity spans each, written in bulk; one through ``gold_accept`` to check that
the bulk rows match the service's), then exports it once per format through the real code
path: ``export_records`` (the same reader as GET /api/projects/{id}/export/) into
``FORMATS[fmt]().write(...)``, written to a temporary file. Each export runs in a child
process of its own (a fresh interpreter), so its peak RSS (VmHWM in /proc/self/status) is
the export's own: interpreter, Django, spaCy for CoNLL, and whatever the export holds. Prints documents/s, peak RSS, and the ratio of peak RSS
between the largest and the smallest size per format (a streaming export stays near 1.0),
next to the Label Studio reference, in the same output. The export reads items in chunks of
EXPORT_CHUNK_SIZE (500) and holds up to two at a time, so compare sizes of 1,000 and more: a
smaller export holds one chunk and makes the ratio look worse than it is.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.export
Quick check: python -m benchmarks.export --sizes 1000 3000
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.test.utils import teardown_databases  # noqa: E402

from annotations.datasets.exports import ExportFilters, export_records  # noqa: E402
from annotations.datasets.formats import FORMATS  # noqa: E402
from annotations.datasets.formats.nlp import pipeline  # noqa: E402
from annotations.models import Membership, Project  # noqa: E402
from benchmarks import labeling_data  # noqa: E402

REFERENCE = ("Label Studio 1.23 on this machine kind: 2,000 annotated news articles, JSON ~600 docs/s, "
             "CoNLL ~240 docs/s, server 650-890 MB (targets: JSONL >= 5,000 docs/s, CoNLL >= 1,000 docs/s)")
TARGET_DOCS_PER_S = {"jsonl": 5000, "conll": 1000}
# Peak memory may grow this much from the smallest to the largest export: streaming means flat.
TARGET_MEMORY_RATIO = 1.3
# Formats that tokenise with spaCy: its pipeline is built once per process (a worker builds it once
# for all its exports), so it is built before the clock starts and its time is shown apart.
TOKENIZED_FORMATS = {"conll", "spacy"}
# One export may take this long (100,000 CoNLL documents at ~55 docs/s); beyond it, a hang.
CHILD_TIMEOUT_S = 1800


# --- the child: one export, measured ---------------------------------------------

def export_once(*, project_id: int, fmt: str, path: Path) -> dict:
    """Export the project's gold as ``fmt`` to ``path``; the figures of this process."""
    start_rss_mb = _status_mb("VmRSS")
    project = Project.objects.get(pk=project_id)
    exporter = FORMATS[fmt]()
    started = time.perf_counter()
    if fmt in TOKENIZED_FORMATS:
        pipeline()
    warmup_s, started = time.perf_counter() - started, time.perf_counter()
    with path.open("wb") as out:
        for chunk in exporter.write(export_records(project=project, filters=ExportFilters())):
            out.write(chunk)
    seconds = time.perf_counter() - started
    summary = exporter.summary
    return {
        "documents": summary["documents"], "seconds": seconds, "rate": summary["documents"] / seconds,
        "warmup_s": warmup_s, "file_mb": path.stat().st_size / 2**20, "spans": summary["spans"],
        "spans_skipped": summary["spans_misaligned"] + summary["spans_overlapping"],
        # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child
        # reports its parent's peak (the parent filled the database) when that is higher.
        "start_rss_mb": start_rss_mb, "peak_rss_mb": _status_mb("VmHWM"),
    }


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (kB) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the parent: data, children, report -------------------------------------------

def fill(size: int, seed: int) -> tuple[Project, float]:
    """A project with ``size`` gold articles; returns it and the seconds it took."""
    started = time.perf_counter()
    project = labeling_data.project_create(name="Export benchmark")
    [(reviewer_id, _)] = labeling_data.members_create(project=project, count=1, role=Membership.Role.REVIEWER,
                                                      prefix="reviewer")
    labeling_data.gold_create(project=project, count=size, rng=random.Random(seed), reviewer_id=reviewer_id)
    labeling_data.analyze()
    return project, time.perf_counter() - started


def run_child(*, project_id: int, fmt: str, path: Path) -> dict:
    """Run export_once in a new interpreter connected to this process's database."""
    env = {**os.environ, "DATABASE_URL": labeling_data.database_url(os.environ["DATABASE_URL"])}
    command = [sys.executable, "-m", "benchmarks.export", "--child-project", str(project_id),
               "--child-format", fmt, "--child-path", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"export child failed ({fmt}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(size: int, formats: list[str], seed: int) -> dict[str, dict]:
    """Fill a fresh database with ``size`` gold articles and export it once per format."""
    old = labeling_data.fresh_database("export")
    try:
        project, fill_s = fill(size, seed)
        print(f"{size:,} gold articles written in {fill_s:.1f} s", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            return {fmt: run_child(project_id=project.pk, fmt=fmt, path=Path(tmp) / f"export.{fmt}")
                    for fmt in formats}
    finally:
        teardown_databases(old, verbosity=0)


def report(results: dict[int, dict[str, dict]], formats: list[str]) -> None:
    print(f"\n{'format':<7}{'articles':>10}{'docs/s':>9}{'target':>8}{'seconds':>9}{'warm-up s':>11}"
          f"{'file MB':>9}{'RSS start MB':>14}{'peak RSS MB':>13}{'spans':>9}{'skipped':>9}")
    for fmt in formats:
        for size, by_format in sorted(results.items()):
            r = by_format[fmt]
            print(f"{fmt:<7}{r['documents']:>10,}{r['rate']:>9,.0f}{TARGET_DOCS_PER_S.get(fmt, 0):>8,}"
                  f"{r['seconds']:>9.1f}{r['warmup_s']:>11.1f}{r['file_mb']:>9.1f}{r['start_rss_mb']:>14.0f}"
                  f"{r['peak_rss_mb']:>13.0f}{r['spans']:>9,}{r['spans_skipped']:>9,}")
    if len(results) > 1:
        small, large = min(results), max(results)
        for fmt in formats:
            ratio = results[large][fmt]["peak_rss_mb"] / results[small][fmt]["peak_rss_mb"]
            print(f"peak RSS {fmt}, {large:,} / {small:,} articles: x{ratio:.2f} (target <= {TARGET_MEMORY_RATIO})")
    print(f"\nreference: {REFERENCE}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["jsonl", "conll"], choices=sorted(FORMATS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child-project", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-format", help=argparse.SUPPRESS)
    parser.add_argument("--child-path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl+C: stop what was started, drop the database
    if args.child_project is not None:
        figures = export_once(project_id=args.child_project, fmt=args.child_format, path=args.child_path)
        print(json.dumps(figures))
        return
    print(f"python {sys.version.split()[0]}; sizes {args.sizes}; formats {args.formats}; one child process "
          "per export", flush=True)
    results = {size: run_size(size, args.formats, args.seed) for size in args.sizes}
    report(results, args.formats)



def _interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
