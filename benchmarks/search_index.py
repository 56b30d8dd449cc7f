"""What full-text indexing costs an import: python -m benchmarks.search_index [--articles 10000] [--rounds 3]

Writes the same articles (generated like ``benchmarks.ingest``'s, through the import's own bulk
insert) into a fresh test database, in alternating rounds: with the GIN expression index over
title and body that imports used to maintain, and without it (today: the import writes no
search data). Alternating rounds share whatever else the machine is doing. Then builds the
search vectors of the articles as the job after an import does, and times that apart.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.search_index
"""

import argparse
import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from benchmarks.corpus import records as corpus_records  # noqa: E402
from ingest.bulk import articles_insert  # noqa: E402
from ingest.models import Article  # noqa: E402
from ingest.search import search_vectors_build  # noqa: E402

OLD_INDEX = "ingest_article_search_idx"
OLD_EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
CHUNK = 2000


def insert_round(records, round_no: int, *, indexed: bool) -> float:
    """Seconds to insert ``records`` as articles, chunk by chunk, with or without the old index."""
    with connection.cursor() as cursor:
        if indexed:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON ingest_article USING gin ({OLD_EXPRESSION})")
        else:
            cursor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    rows = [{"title": r["title"], "body": r["text"], "raw_text": r["text"], "content_hash": f"{round_no}-{n}",
             "minhash": b"", "shingle_count": 0} for n, r in enumerate(records)]
    start = time.perf_counter()
    for first in range(0, len(rows), CHUNK):
        with transaction.atomic():
            articles_insert(rows[first:first + CHUNK])
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from django.test.utils import setup_databases, teardown_databases

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        if connection.vendor != "postgresql":
            raise SystemExit("PostgreSQL only: the embedded SQLite demo never had a search index.")
        records = list(corpus_records(args.articles, random.Random(11)))
        times = {True: [], False: []}
        for round_no in range(args.rounds):
            for indexed in (True, False):
                times[indexed].append(insert_round(records, 2 * round_no + indexed, indexed=indexed))
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        start = time.perf_counter()
        built = search_vectors_build(articles=Article.objects.all())
        search_seconds = time.perf_counter() - start
    finally:
        teardown_databases(databases, verbosity=0)
    with_index, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"{args.articles:,} articles per round, median of {args.rounds} rounds each")
    print(f"  insert with the GIN expression index   {args.articles / with_index:8.0f} articles/s "
          f"({1000 * with_index / args.articles:.3f} ms/article)")
    print(f"  insert without (today's import)        {args.articles / without:8.0f} articles/s "
          f"({1000 * without / args.articles:.3f} ms/article)")
    print(f"  the index's share of the insert        {1 - without / with_index:8.0%}")
    print(f"  search vectors, built after the import {built / search_seconds:8.0f} articles/s "
          f"({built:,} vectors into the GIN index)")


if __name__ == "__main__":
    main()
