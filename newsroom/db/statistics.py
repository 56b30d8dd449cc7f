"""Planner statistics refreshed after bulk writes (PostgreSQL).

Autovacuum analyzes a table only after a tenth of it changed and up to a minute later; until
then the planner works from the old row counts (on a fresh table it guesses a few dozen rows
and sorts or scans what an index would serve). A bulk write therefore analyzes the tables it
filled, once, when it wrote enough rows to matter (DB_ANALYZE_MIN_ROWS).
"""

from django.conf import settings
from django.db import connection


def tables_analyze(*models, rows_written: int) -> bool:
    """ANALYZE the tables of ``models`` if ``rows_written`` reaches DB_ANALYZE_MIN_ROWS. True if it
    ran. PostgreSQL only (SQLite's planner works without, and its ANALYZE reads whole tables).
    Idempotent; it samples a bounded number of rows, so its cost does not grow with the table."""
    if connection.vendor != "postgresql" or rows_written < settings.DB_ANALYZE_MIN_ROWS:
        return False
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
    return True
