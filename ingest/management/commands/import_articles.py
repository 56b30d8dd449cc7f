"""python manage.py import_articles PATH... — import files, folders or zip archives of articles."""

import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from itertools import chain

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ingest.models import ImportBatch, ImportRecord
from ingest.readers import FORMATS, ReaderOptions, estimate_count, read_path
from ingest.services import import_batch_create, import_batch_run

# Failures listed in the summary; the rest are in the admin and the API.
SUMMARY_FAILURES = 20
# Items a worker process prepares per round trip: amortises pickling without hurting progress.
POOL_CHUNKSIZE = 32


class Command(BaseCommand):
    help = ("Import articles from text, JSONL, CSV or HTML files, folders and zip archives. "
            "Safe to re-run: articles already stored are counted as duplicates.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders or .zip archives.")
        parser.add_argument("--source", default="", help="Outlet of items whose record names none.")
        parser.add_argument("--format", choices=FORMATS, help="Force one format for every file.")
        parser.add_argument("--column", action="append", default=[], metavar="FIELD=COLUMN",
                            help="Map a field to a CSV column / JSON key, e.g. --column text=content.")
        parser.add_argument("--workers", type=int, default=1,
                            help="Processes that clean and fingerprint articles (default 1).")
        parser.add_argument("--dry-run", action="store_true", help="Import, report, then roll everything back.")

    def handle(self, *args, **options):
        paths = options["paths"]
        column_map = _column_map(options["column"])
        fmt = options["format"]
        reader_options = ReaderOptions(column_map=column_map)
        total = _total(paths, fmt)
        results = chain.from_iterable(read_path(p, fmt=fmt, options=reader_options) for p in paths)
        with ExitStack() as stack:
            if options["dry_run"]:
                stack.enter_context(transaction.atomic())
            batch = import_batch_create(inputs=[{"name": str(p)} for p in paths], fmt=fmt or "auto",
                                        source_name=options["source"], column_map=column_map, total=total)
            bar = stack.enter_context(tqdm(total=total, unit="article", file=sys.stderr,
                                           disable=not sys.stderr.isatty() or options["verbosity"] < 1))
            try:
                batch = import_batch_run(batch=batch, results=results,
                                         prepare_map=_prepare_map(stack, options["workers"]),
                                         on_progress=lambda done, _: bar.update(done - bar.n))
            except Exception as exc:
                raise CommandError(f"Import batch #{batch.pk} failed: {type(exc).__name__}: {exc}") from exc
            self._summary(batch, dry_run=options["dry_run"])
            if options["dry_run"]:
                transaction.set_rollback(True)

    def _summary(self, batch: ImportBatch, *, dry_run: bool) -> None:
        seconds = (batch.finished_at - batch.started_at).total_seconds() if batch.finished_at else 0
        rate = batch.processed_count / seconds if seconds else 0
        rows = [("created", batch.created_count), ("duplicates", batch.duplicate_count),
                ("same story as another", batch.near_duplicate_count), ("failed", batch.failed_count),
                ("total", batch.processed_count)]
        title = "Dry run (nothing saved)" if dry_run else f"Import batch #{batch.pk}"
        self.stdout.write(self.style.MIGRATE_HEADING(f"{title}: {seconds:.1f} s, {rate:.0f} articles/s"))
        for label, count in rows:
            self.stdout.write(f"  {label:<24}{count:>8}")
        failures = batch.records.filter(outcome=ImportRecord.Outcome.FAILED)[:SUMMARY_FAILURES]
        for record in failures:
            self.stdout.write(self.style.WARNING(f"  failed  {record.origin}: {record.message}"))
        if batch.failed_count > SUMMARY_FAILURES:
            self.stdout.write(f"  ... and {batch.failed_count - SUMMARY_FAILURES} more failures (see the admin)")


def _column_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise CommandError(f"--column expects FIELD=COLUMN, got {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping


def _total(paths, fmt) -> int | None:
    counts = [estimate_count(p, fmt=fmt) for p in paths]
    return None if None in counts else sum(counts)


def _prepare_map(stack: ExitStack, workers: int):
    if workers <= 1:
        return map
    pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
    return lambda fn, *iterables: pool.map(fn, *iterables, chunksize=POOL_CHUNKSIZE)
