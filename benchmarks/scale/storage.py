"""The database's size per article: the article table (with its TOAST), its indexes, the band
keys, items, labels and predictions, read from PostgreSQL's own figures."""

from django.db import connection

from annotations.models import Item, Prediction
from ingest.models import Article, StoryBandKey

# (name in the report, tables) — each figure sums the tables' heap+TOAST and indexes apart.
GROUPS = {
    "articles": [Article._meta.db_table],
    "band_keys": [StoryBandKey._meta.db_table],
    "items": [Item._meta.db_table],
    "predictions": [Prediction._meta.db_table],
    "labels": ["annotations_gold", "annotations_goldspan", "annotations_annotation", "annotations_annotationspan",
               "annotations_assignment"],
}


def database_sizes() -> dict:
    """Bytes per article of each group (table and indexes apart), the whole database's, and the
    biggest tables, so tables the groups do not name (a search table, say) show up too."""
    articles = Article.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute("SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') "
                       "AND n.nspname = 'public' ORDER BY pg_total_relation_size(c.oid) DESC")
        tables = {name: {"table": table, "indexes": indexes} for name, table, indexes in cursor.fetchall()}
    per_article = {}
    for group, names in GROUPS.items():
        table = sum(tables.get(name, {}).get("table", 0) for name in names)
        indexes = sum(tables.get(name, {}).get("indexes", 0) for name in names)
        per_article[group] = {"table": table / max(1, articles), "indexes": indexes / max(1, articles)}
    predictions = Prediction.objects.count()
    prediction_bytes = sum(tables.get(Prediction._meta.db_table, {}).values())
    return {
        "articles": articles, "database_bytes": database, "database_per_article": database / max(1, articles),
        "per_article": per_article,
        "per_prediction": prediction_bytes / predictions if predictions else None,
        "largest_tables": {name: figures for name, figures in list(tables.items())[:10]},
    }


# The server settings that decide how a big table behaves: what fits in PostgreSQL's buffers,
# how often it checkpoints, and whether anything else vacuums and analyses meanwhile.
SERVER_SETTINGS = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "max_wal_size",
                   "checkpoint_timeout", "autovacuum", "synchronous_commit")


def server_settings() -> dict:
    """The database server's settings the figures depend on, as ``SHOW`` prints them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
                       [list(SERVER_SETTINGS)])
        values = dict(cursor.fetchall())
    return {name: values[name] for name in SERVER_SETTINGS if name in values}
