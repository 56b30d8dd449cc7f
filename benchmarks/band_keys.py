"""What a chunk's band keys cost as the key table grows: python -m benchmarks.band_keys
[--rows 1100000 40800000] [--chunks 6] [--layout btree unlogged hash]

Builds a band-key table of each size in SQL (random 64-bit keys, 57 per article id, the
import's primary key and article index: 40.8 million rows is about 700,000 imported articles)
in a scratch table of the database, then replays what an import chunk of 2,000 articles does
to it: one look-up of 128,000 random keys (``key = ANY(array)``) and one sorted binary COPY of
as many rows, the statements of ``ingest.bulk``. A ``CHECKPOINT`` comes first, as one would in a
long import. Per layout and size, the means over the chunks after the first: milliseconds per
look-up and per COPY, WAL bytes per article (``pg_current_wal_lsn`` before and after: the whole
server's, so run it where nothing else writes much), index blocks read (not found in
``shared_buffers``), dirty buffers the backend had to write itself, and checkpoints. Each
table is dropped afterwards; 40.8 million rows need ~3.5 GB of disk while they exist.

Layouts: ``btree`` (the key table before migration ingest/0011), ``unlogged`` (today),
``hash`` (a hash index on the key instead of the primary key).

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.band_keys
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

from ingest.bulk import _BAND_KEY_ROW, _COPY_HEADER, _COPY_TRAILER  # noqa: E402

ARTICLES_PER_CHUNK, KEYS_PER_ARTICLE, ROWS_PER_ARTICLE = 2000, 64, 57
TABLE = "bench_band_keys"
FIGURES = ("look_up_ms", "copy_ms", "wal_per_article", "index_blocks_read", "backend_writes", "checkpoints")


def table_build(rows: int, layout: str) -> None:
    persistence = "UNLOGGED" if layout == "unlogged" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE {persistence} TABLE {TABLE} (key bigint NOT NULL, article_id bigint NOT NULL)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT (random() * 1.8e19 - 9e18)::bigint, n / {ROWS_PER_ARTICLE} "
                       "FROM generate_series(1, %s) n", [rows])
        if layout == "hash":
            cursor.execute(f"CREATE INDEX {TABLE}_key ON {TABLE} USING hash (key)")
        else:
            cursor.execute(f"ALTER TABLE {TABLE} ADD PRIMARY KEY (key, article_id)")
        cursor.execute(f"CREATE INDEX {TABLE}_article ON {TABLE} (article_id)")
        cursor.execute(f"VACUUM ANALYZE {TABLE}")


def counters(cursor) -> tuple:
    cursor.execute("SELECT pg_current_wal_lsn(), (SELECT sum(idx_blks_read) FROM pg_statio_user_indexes "
                   "WHERE relname = %s), buffers_backend, checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter",
                   [TABLE])
    return cursor.fetchone()


def chunk_replay(cursor, rng, first_article: int) -> dict:
    keys = rng.integers(-2**63, 2**63 - 1, size=ARTICLES_PER_CHUNK * KEYS_PER_ARTICLE, dtype=np.int64)
    articles = np.repeat(np.arange(first_article, first_article + ARTICLES_PER_CHUNK), KEYS_PER_ARTICLE)
    before, start = counters(cursor), time.perf_counter()
    cursor.execute("BEGIN")
    cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL synchronous_commit = off")
    cursor.execute(f"SELECT key, article_id FROM {TABLE} WHERE key = ANY(%s::bigint[])",
                   ["{" + ",".join(map(str, np.unique(keys).tolist())) + "}"])
    cursor.fetchall()
    looked_up = time.perf_counter()
    order = np.lexsort((articles, keys))
    data = np.empty(len(keys), dtype=_BAND_KEY_ROW)
    data["fields"], data["key_len"], data["article_len"] = 2, 8, 8
    data["key"], data["article"] = keys[order], articles[order]
    with cursor.copy(f"COPY {TABLE} (key, article_id) FROM STDIN (FORMAT binary)") as copy:
        copy.write(_COPY_HEADER + data.tobytes() + _COPY_TRAILER)
    cursor.execute("COMMIT")
    copied = time.perf_counter()
    time.sleep(0.6)  # statistics reach the views at most every 0.5 s
    after = counters(cursor)
    cursor.execute("SELECT pg_wal_lsn_diff(%s, %s)", [after[0], before[0]])
    return {"look_up_ms": (looked_up - start) * 1e3, "copy_ms": (copied - looked_up) * 1e3,
            "wal_per_article": float(cursor.fetchone()[0]) / ARTICLES_PER_CHUNK,
            "index_blocks_read": after[1] - before[1], "backend_writes": after[2] - before[2],
            "checkpoints": after[3] - before[3]}


def measure(rows: int, layout: str, chunks: int) -> dict:
    table_build(rows, layout)
    rng, first = np.random.default_rng(rows), rows // ROWS_PER_ARTICLE + 1
    connection.ensure_connection()
    raw = connection.connection  # psycopg's own connection: explicit BEGIN/COMMIT and COPY
    autocommit, raw.autocommit = raw.autocommit, True
    try:
        with raw.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            replays = [chunk_replay(cursor, rng, first + n * ARTICLES_PER_CHUNK) for n in range(chunks)]
    finally:
        raw.autocommit = autocommit
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    kept = replays[1:] or replays
    return {name: statistics.mean(float(replay[name]) for replay in kept) for name in FIGURES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_100_000, 40_800_000])
    parser.add_argument("--chunks", type=int, default=6)
    parser.add_argument("--layout", nargs="+", choices=["btree", "unlogged", "hash"], default=["btree", "unlogged"])
    args = parser.parse_args()
    print(f"shared_buffers {_setting('shared_buffers')}, max_wal_size {_setting('max_wal_size')}; "
          f"load average {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print("| rows | layout | " + " | ".join(FIGURES) + " |")
    for rows in args.rows:
        for layout in args.layout:
            figures = measure(rows, layout, args.chunks)
            print(f"| {rows:,} | {layout} | " + " | ".join(f"{figures[name]:,.0f}" for name in FIGURES) + " |",
                  flush=True)


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
