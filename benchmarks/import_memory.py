"""Peak memory of an import worker: python -m benchmarks.import_memory [--members 2100] [--accepted-members 100] [--jsonl-mb 100]

Builds the uploads of issue 12 and imports each in a child process of its own (the way a
Celery worker process runs one import), reading the child's peak resident memory
(``ru_maxrss``) when it ends:

1. the issue's zip: ``--members`` one-megabyte members that deflate about 170:1 (2,100 of them
   make an 11–12 MB zip inflating past the 2 GB total limit). Before: the worker read members
   until the total budget stopped it, at 4.7 GB (the issue's figure). Now the central
   directory refuses it before any member is read.
2. an accepted zip of ``--accepted-members`` one-megabyte members (17:1, within every limit),
3. a JSONL file of ``--jsonl-mb`` megabytes of 50 KB records,

each imported twice in the same run: with chunks bounded by bytes as well as by count
(INGEST_CHUNK_MAX_BYTES, now) and bounded by count only (as before; INGEST_CHUNK_SIZE
records of any size per chunk). Every import goes into a fresh test database.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.import_memory
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# The issue's measurement of the code before: a worker importing the 2,100-member zip.
ISSUE_PEAK_MB = 4.7 * 1024
TARGET_PEAK_MB = 1024
MEMBER_CHARS = 990_000  # under MAX_RECORD_CHARS: each member is one accepted article
# Random text repeated within a member: a short block deflates like the issue's zip, a long one
# like ordinary text that merely repeats itself.
BOMBISH_BLOCK, ORDINARY_BLOCK = 1_500, 30_000
JSONL_RECORD_CHARS = 50_000
# "Count only": a byte bound no chunk reaches.
UNBOUNDED = 1 << 62


def words(count: int = 5000) -> list[str]:
    rng = random.Random(12)
    return ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(count)]


def article_text(n: int, chars: int, block_chars: int, vocabulary: list[str]) -> str:
    """Article ``n``: a title, then a block of random sentences repeated up to ``chars``."""
    rng, lines, size = random.Random(n), [], 0
    while size < block_chars:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 20))) + "."
        lines.append(line)
        size += len(line) + 1
    block = "\n".join(lines) + "\n"
    return (f"Report {n}\n\n" + block * (chars // len(block) + 1))[:chars]


def build_zip(path: Path, members: int, block_chars: int) -> Path:
    vocabulary = words()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for n in range(members):
            bundle.writestr(f"articles/{n:05d}.txt", article_text(n, MEMBER_CHARS, block_chars, vocabulary))
    return path


def build_jsonl(path: Path, megabytes: int) -> Path:
    vocabulary = words()
    with path.open("w") as out:
        for n in range(megabytes * 1_000_000 // JSONL_RECORD_CHARS):
            text = article_text(n, JSONL_RECORD_CHARS, ORDINARY_BLOCK, vocabulary)
            out.write(json.dumps({"title": f"Record {n}", "text": text}) + "\n")
    return path


def run_child(path: Path, max_bytes: int, database_url: str) -> dict:
    """Import ``path`` in a new process; its figures, peak memory included."""
    env = {**os.environ, "DATABASE_URL": database_url, "INGEST_CHUNK_MAX_BYTES": str(max_bytes)}
    done = subprocess.run([sys.executable, "-m", "benchmarks.import_memory", "--child", str(path)], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the import of {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(path: str) -> None:
    """In the child: empty the corpus, import ``path`` as a worker would, print figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import connection

    from ingest.models import ImportBatch, ImportRecord
    from ingest.readers import read_path
    from ingest.services import import_batch_create, import_batch_run

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ingest_article, ingest_storybandkey, ingest_storycluster, ingest_importrecord, "
                       "ingest_importbatch RESTART IDENTITY CASCADE")
    start = time.perf_counter()
    batch = import_batch_run(batch=import_batch_create(), results=read_path(path))
    seconds = time.perf_counter() - start
    refused = list(batch.records.filter(outcome=ImportRecord.Outcome.FAILED).values_list("message", flat=True)[:1])
    print(json.dumps({
        "peak_mb": peak_rss_mb(), "seconds": seconds,
        "created": batch.created_count, "failed": batch.failed_count, "status": batch.status,
        "first_error": refused[0] if refused else "", "ok": batch.status == ImportBatch.Status.DONE,
    }))


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started this program. (Not ru_maxrss: that
    keeps the figure of the parent it was forked from across exec.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, figures: dict, baseline: str) -> None:
    verdict = "under" if figures["peak_mb"] < TARGET_PEAK_MB else "OVER"
    print(f"  {name:<34}{figures['peak_mb']:8.0f} MB peak ({verdict} the {TARGET_PEAK_MB} MB target); "
          f"created {figures['created']:,}, failed {figures['failed']:,}, {figures['seconds']:.1f} s  {baseline}")
    if figures["first_error"]:
        print(f"  {'':<34}first error: {figures['first_error'][:150]}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2100, help="members of the issue's zip (default 2,100)")
    parser.add_argument("--accepted-members", type=int, default=100, help="members of the accepted zip")
    parser.add_argument("--jsonl-mb", type=int, default=100, help="size of the JSONL file in MB")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    db = settings.DATABASES["default"]
    url = (f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    print(f"chunks: {settings.INGEST_CHUNK_SIZE:,} records and {settings.INGEST_CHUNK_MAX_BYTES / 2**20:.0f} MB "
          f"at most (before: {settings.INGEST_CHUNK_SIZE:,} records); target: peak under {TARGET_PEAK_MB} MB")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            issue = build_zip(Path(tmp) / "issue.zip", args.members, BOMBISH_BLOCK)
            print(f"\n== the issue's zip: {args.members:,} members of 1 MB, {issue.stat().st_size / 2**20:.1f} MB")
            report("now", run_child(issue, settings.INGEST_CHUNK_MAX_BYTES, url),
                   f"(before: {ISSUE_PEAK_MB:,.0f} MB, the issue's figure)")
            issue.unlink()
            accepted = build_zip(Path(tmp) / "accepted.zip", args.accepted_members, ORDINARY_BLOCK)
            _pair(f"an accepted zip: {args.accepted_members:,} members of 1 MB, "
                  f"{accepted.stat().st_size / 2**20:.1f} MB", accepted, settings, url)
            accepted.unlink()
            feed = build_jsonl(Path(tmp) / "feed.jsonl", args.jsonl_mb)
            _pair(f"a JSONL file: {feed.stat().st_size / 2**20:.0f} MB of {JSONL_RECORD_CHARS // 1000} KB records",
                  feed, settings, url)
    finally:
        teardown_databases(old, verbosity=0)


def _pair(title: str, path: Path, settings, url: str) -> None:
    print(f"\n== {title}")
    before = run_child(path, UNBOUNDED, url)
    now = run_child(path, settings.INGEST_CHUNK_MAX_BYTES, url)
    report("before (chunks bounded by count)", before, "")
    report("now (and by bytes)", now, f"(x{before['peak_mb'] / now['peak_mb']:.1f} less)")


if __name__ == "__main__":
    main()
