"""Less work per imported article at a million articles (PostgreSQL).

- No planner statistics for the columns no query filters or sorts on (the cleaned and raw
  texts, the MinHash signature, removed lines, tokens): ANALYZE read and sorted a sample of
  whole article texts for them, 2.9 of its 5.5 s on a million articles.
- No ``varchar_pattern_ops`` index on ``content_hash``: Django adds one beside every unique
  varchar for ``LIKE 'prefix%'``, which nothing asks of a hash; it was one more random B-tree
  insert per article (107 MB at a million). The unique index serves every look-up. Django
  creates it again only if a later migration alters the field's type, index or uniqueness.
"""

from django.db import migrations

TABLE = "ingest_article"
UNSAMPLED = ("body", "raw_text", "minhash", "removed_lines", "tokens")


def _like_index(schema_editor) -> str:
    return schema_editor._create_index_name(TABLE, ["content_hash"], suffix="_like")


def lighten(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"ALTER COLUMN {column} SET STATISTICS 0" for column in UNSAMPLED)
    schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {_like_index(schema_editor)}")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"ALTER COLUMN {column} SET STATISTICS -1" for column in UNSAMPLED)
    schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_like_index(schema_editor)} "
                          f"ON {TABLE} (content_hash varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0011_band_keys_unlogged")]
    operations = [migrations.RunPython(lighten, restore)]
