"""Band keys in an unlogged table (PostgreSQL).

The key index is ~1.2 GB at a million articles, far over the default ``shared_buffers``:
every chunk of 2,000 articles writes ~128,000 random keys all over it, and after each
checkpoint each leaf page written goes to the WAL whole. On a 40-million-row table that was
~320 KB of WAL per article (a checkpoint per chunk) and 3x the insert time of an unlogged
table (benchmarks/README.md, "band keys at a million articles"). The keys are derived data,
rebuilt from the articles' MinHash signatures: PostgreSQL empties an unlogged table in crash
recovery (and a replica has it empty), and the next import rebuilds it (``band_keys_rebuild``).
"""

from django.db import migrations

TABLE = "ingest_storybandkey"


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0010_article_title_trigram_index")]
    operations = [migrations.RunPython(unlogged, logged)]
