"""Bulk writes of articles and reads and writes of LSH band keys, the hottest statements of an import.

An import writes one article row and 64 band keys per article, and looks up tens of
thousands of keys per chunk. The ORM's per-instance overhead and one bound parameter per
value cost more than the work itself, so this is the one module with raw SQL. PostgreSQL
gets COPY and ``= ANY(array)``; other databases get ``bulk_create``, ``executemany`` and
``IN`` lists.
"""

import json
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, models

from .models import Article, StoryBandKey

TABLE = StoryBandKey._meta.db_table
ARTICLES = Article._meta.db_table
_COLUMNS = {field.attname: field.column for field in Article._meta.concrete_fields}
_JSON_FIELDS = {field.attname for field in Article._meta.concrete_fields if isinstance(field, models.JSONField)}
# Keys per IN list where arrays are not available: under SQLite's bound-parameter limit.
IN_LIST_BATCH = 5000
# COPY's binary format: signature, flags, header extension length ... rows ... -1.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)
# One band key row in COPY's binary format: field count, then length and value of each field.
_BAND_KEY_ROW = np.dtype([("fields", ">i2"), ("key_len", ">i4"), ("key", ">i8"),
                          ("article_len", ">i4"), ("article", ">i8")])


def articles_insert(rows: Sequence[dict]) -> list[int]:
    """Insert articles given as field values (attname -> value, the same fields in every
    row; the others get their defaults, as with the ORM) and return their ids, in order.
    Must run inside a transaction."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [article.pk for article in Article.objects.bulk_create([Article(**row) for row in rows])]
    defaults = _defaults(rows[0].keys())
    names = [*rows[0], *defaults]
    dumps = [json.dumps if name in _JSON_FIELDS else None for name in names]
    values = ([*row.values(), *defaults.values()] for row in rows)
    with connection.cursor() as cursor:
        # Ids come from the table's own sequence, so ORM inserts and COPY never collide.
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [ARTICLES, len(rows)])
        ids = [pk for (pk,) in cursor.fetchall()]
        # Raw COPY bypasses Django's cursor: wrap its errors, so that a concurrent insert of
        # the same content hash is an IntegrityError, as with the ORM.
        with connection.wrap_database_errors, cursor.cursor.copy(
            f"COPY {ARTICLES} (id, {', '.join(_COLUMNS[name] for name in names)}) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, values):
                copy.write_row([pk, *(dump(value) if dump else value for dump, value in zip(dumps, row))])
    return ids


def _defaults(given: Iterable[str]) -> dict:
    """What the ORM would store in the article fields missing from ``given``: defaults, and
    the time for ``auto_now_add``."""
    given, template = set(given), Article()
    return {field.attname: field.pre_save(template, add=True) for field in Article._meta.concrete_fields
            if not field.primary_key and field.attname not in given}


def band_keys_insert(rows: np.ndarray | Iterable[tuple[int, int]]) -> None:
    """Insert (key, article id) rows, an (n, 2) integer array or pairs. Must run inside the
    transaction that created the articles."""
    rows = np.asarray(rows if isinstance(rows, np.ndarray) else list(rows), dtype=np.int64).reshape(-1, 2)
    if not len(rows):
        return
    # Sorted rows walk the key index in order: far fewer page visits than random inserts.
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY built by numpy: no per-row Python work at all.
            data = np.empty(len(rows), dtype=_BAND_KEY_ROW)
            data["fields"], data["key_len"], data["article_len"] = 2, 8, 8
            data["key"], data["article"] = rows[:, 0], rows[:, 1]
            with connection.wrap_database_errors, cursor.cursor.copy(
                f"COPY {TABLE} (key, article_id) FROM STDIN (FORMAT binary)"
            ) as copy:
                copy.write(_COPY_HEADER + data.tobytes() + _COPY_TRAILER)
        else:
            cursor.executemany(f"INSERT INTO {TABLE} (key, article_id) VALUES (%s, %s)", rows.tolist())


def array_literal(values: Iterable[int]) -> str:
    """PostgreSQL's text form of an integer array, for one ``%s::bigint[]`` parameter: adapting
    tens of thousands of ints one by one costs more than the query that reads them."""
    return "{" + ",".join(map(str, values)) + "}"


def band_key_owners(keys: np.ndarray) -> list[tuple[int, int]]:
    """(key, article id) for every stored row whose key is in ``keys`` (distinct, sorted)."""
    keys = keys.tolist()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _index_probes_only(cursor):
                cursor.execute(f"SELECT key, article_id FROM {TABLE} WHERE key = ANY(%s::bigint[])",
                               [array_literal(keys)])
                return cursor.fetchall()
        found = []
        for start in range(0, len(keys), IN_LIST_BATCH):
            batch = keys[start:start + IN_LIST_BATCH]
            cursor.execute(f"SELECT key, article_id FROM {TABLE} WHERE key IN ({', '.join(['%s'] * len(batch))})",
                           batch)
            found.extend(cursor.fetchall())
        return found


def articles_fingerprint_rows(ids: Iterable[int]) -> list[tuple[int, bytes, int, int | None]]:
    """(id, minhash, shingle count, story cluster) of the stored articles among ``ids``."""
    ids = list(ids)
    if not ids:
        return []
    if connection.vendor != "postgresql":
        return list(Article.objects.filter(pk__in=ids)
                    .values_list("pk", "minhash", "shingle_count", "story_cluster_id").iterator())
    with connection.cursor() as cursor:
        # Thousands of ids per chunk on wire copy.
        cursor.execute(f"SELECT id, {_COLUMNS['minhash']}, {_COLUMNS['shingle_count']}, "
                       f"{_COLUMNS['story_cluster_id']} FROM {ARTICLES} WHERE id = ANY(%s::bigint[])",
                       [array_literal(ids)])
        return cursor.fetchall()


@contextmanager
def _index_probes_only(cursor) -> Iterator[None]:
    """Plan the statements run inside with index probes and without JIT (PostgreSQL).

    With tens of thousands of keys the planner prefers reading the whole key table (which
    grows with the corpus) to one index probe per key (which does not), and compiles the
    query with JIT; neither pays off for a look-up that finds a few hundred rows. The
    transaction's own settings come back afterwards (on an error it is rolled back anyway).
    """
    cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
    seqscan, jit = cursor.fetchone()
    cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
    yield
    cursor.execute("SELECT set_config('enable_seqscan', %s, true), set_config('jit', %s, true)", [seqscan, jit])


def relax_commit_durability() -> None:
    """Let the current transaction's commit return before its WAL reaches the disk.

    Safe for imports: a crash can lose only the last chunks committed, never corrupt
    them, and re-running an import restores whatever was lost (it is idempotent). Saves
    a disk flush per chunk. PostgreSQL only; elsewhere a no-op.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
