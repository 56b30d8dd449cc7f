"""Full-text search over article titles and bodies (PostgreSQL only).

The expression must stay identical to the one ``ingest.selectors.article_search`` builds
(SearchVector("title", "body", config="english")) for PostgreSQL to use the index.
"""

from django.db import migrations

INDEX = "ingest_article_search_idx"
EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON ingest_article USING gin ({EXPRESSION})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
