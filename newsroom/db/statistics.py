"""Planner statistics refreshed after bulk writes (PostgreSQL).

Autovacuum analyzes a table only after a tenth of it changed and up to a minute later; until
then the planner works from the old row counts (on a fresh table it guesses a few dozen rows
and sorts or scans what an index would serve). A bulk write therefore analyzes the tables it
filled, once, when it wrote enough rows to matter (DB_ANALYZE_MIN_ROWS).

A write that grew a table by less than ``EXPRESSION_STATISTICS_SHARE`` analyzes its columns
only, which leaves out the statistics of index expressions: the title trigram index keeps a
fine histogram (migration ingest/0010) whose 150,000-row sample made every import's ANALYZE
of a million articles take 2.5 s more, while the shares of words in titles barely move when
a big table grows by a few percent. Those are refreshed when a write grows the table by that
share, and by autovacuum's own ANALYZE.
"""

from django.conf import settings
from django.db import connection

EXPRESSION_STATISTICS_SHARE = 0.2


def tables_analyze(*models, rows_written: int) -> bool:
    """ANALYZE the tables of ``models`` if ``rows_written`` reaches DB_ANALYZE_MIN_ROWS. True if it
    ran. PostgreSQL only (SQLite's planner works without, and its ANALYZE reads whole tables).
    Idempotent; it samples a bounded number of rows, so its cost does not grow with the table."""
    if connection.vendor != "postgresql" or rows_written < settings.DB_ANALYZE_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_analyzed(cursor, model, rows_written)}")
    return True


def _analyzed(cursor, model, rows_written: int) -> str:
    """The table, or the list of its columns if ``rows_written`` is a small share of its rows."""
    table = model._meta.db_table
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    rows = cursor.fetchone()[0]  # as of the last ANALYZE; -1 if never analyzed
    quoted = connection.ops.quote_name(table)
    if rows <= 0 or rows_written >= EXPRESSION_STATISTICS_SHARE * rows:
        return quoted
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)
    return f"{quoted} ({columns})"
