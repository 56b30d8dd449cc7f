"""Search vectors off the import path: a table of stored vectors, filled by a Celery job after
an import, with a GIN index (PostgreSQL only), in place of the GIN expression index over
title and body that every imported article had to update (half of the database's time per
article). Existing articles get their vectors from the sweep (or `manage.py search_vectors_build`).
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

OLD_INDEX = "ingest_article_search_idx"
OLD_EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"
INDEX = "ingest_articlesearch_vector_idx"


def swap_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON ingest_articlesearch USING gin (vector)")


def restore_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON ingest_article USING gin ({OLD_EXPRESSION})")


class Migration(migrations.Migration):

    dependencies = [
        ("ingest", "0008_item_browser_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearch",
            fields=[
                ("article", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                 related_name="search", serialize=False, to="ingest.article")),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={"verbose_name": "article search vector"},
        ),
        migrations.AddField(
            model_name="importbatch",
            name="search_indexed_count",
            field=models.PositiveIntegerField(
                default=0, help_text="The batch's articles whose search vector is built (they are found by text "
                                     "search)."),
        ),
        migrations.RunPython(swap_indexes, restore_indexes),
    ]
