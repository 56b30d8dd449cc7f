"""The items' title search (``q`` of /api/items/, "title contains") through a trigram index
(PostgreSQL's pg_trgm): a GIN index over the upper-cased title, the expression Django's
``icontains`` compares, so a word in few titles is found from the index instead of by reading
every article of the project. The planner reads a page either way: in item order, testing each
title until the page is full (a common word), or from the index's matches (a rare one); which
is cheaper depends on how many titles match, so the index's expression keeps a finer histogram
(STATISTICS_TARGET buckets) than the default 100, whose estimate for a word in 2% of titles can
be 0.03% and sends such a search through the index's 20,000 matches. Where pg_trgm cannot be created (not installed, or a role that may
not create extensions) the index is left out and the search reads the titles, as before; on
SQLite there is nothing to do.
"""

from django.db import migrations

INDEX = "article_title_trgm_idx"
# Histogram buckets of the indexed expression: resolves shares down to 0.2% of the titles. ANALYZE
# samples 300 rows per bucket (150,000 rows of the articles, against 30,000 by default).
STATISTICS_TARGET = 500


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        installed = cursor.fetchone() is not None
        if not installed:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
    if not installed and not _extension_created(schema_editor):
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON ingest_article USING gin (UPPER(title) gin_trgm_ops)")
    schema_editor.execute(f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS {STATISTICS_TARGET}")


def _extension_created(schema_editor) -> bool:
    """Create pg_trgm (a trusted extension: a database owner may); False if this role may not."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return False
    return True


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0009_article_search_vectors")]
    operations = [migrations.RunPython(create_index, drop_index)]
