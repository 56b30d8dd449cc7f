"""Bulk reads and writes of LSH band keys, the hottest statements of an import.

An import writes 64 band keys per article and looks up tens of thousands of keys per
chunk. The ORM's per-instance overhead and one bound parameter per key cost more than
the work itself, so this is the one module with raw SQL. PostgreSQL gets COPY and
``= ANY(array)``; other databases get portable ``executemany`` and ``IN`` lists.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection

from .models import StoryBandKey

TABLE = StoryBandKey._meta.db_table
# Keys per IN list where arrays are not available: under SQLite's bound-parameter limit.
IN_LIST_BATCH = 5000


def band_keys_insert(rows: Iterable[tuple[int, int]]) -> None:
    """Insert (key, article id) rows. Must run inside the transaction that created the articles."""
    # Sorted rows walk the key index in order: far fewer page visits than random inserts.
    rows = sorted(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Integers need no escaping: one text buffer is ~10x cheaper than write_row per row.
            buffer = "".join(f"{key}\t{article_id}\n" for key, article_id in rows)
            with cursor.cursor.copy(f"COPY {TABLE} (key, article_id) FROM STDIN") as copy:
                copy.write(buffer)
        else:
            cursor.executemany(f"INSERT INTO {TABLE} (key, article_id) VALUES (%s, %s)", rows)


def band_key_owners(keys: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(key, article id) for every stored row whose key is in ``keys``."""
    keys = list(keys)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array literal: adapting tens of thousands of ints one by one costs more than the query.
            literal = "{" + ",".join(map(str, keys)) + "}"
            cursor.execute(f"SELECT key, article_id FROM {TABLE} WHERE key = ANY(%s::bigint[])", [literal])
            yield from cursor.fetchall()
            return
        pending = iter(keys)
        while batch := list(islice(pending, IN_LIST_BATCH)):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(f"SELECT key, article_id FROM {TABLE} WHERE key IN ({placeholders})", batch)
            yield from cursor.fetchall()


def relax_commit_durability() -> None:
    """Let the current transaction's commit return before its WAL reaches the disk.

    Safe for imports: a crash can lose only the last chunks committed, never corrupt
    them, and re-running an import restores whatever was lost (it is idempotent). Saves
    a disk flush per chunk. PostgreSQL only; elsewhere a no-op.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
