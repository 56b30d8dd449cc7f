"""The item browser's topic filter (PostgreSQL): GIN indexes on the topics of annotations and
gold, so that a rare topic is found from its labels rather than by testing every item."""

from django.db import migrations

# jsonb_path_ops: the smaller GIN index, and it serves the containment (@>) the topic filter asks.
TOPIC_INDEXES = {"annotation_topics_gin": "annotations_annotation", "gold_topics_gin": "annotations_gold"}


def create_topic_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table in TOPIC_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (topics jsonb_path_ops)")


def drop_topic_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TOPIC_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("annotations", "0013_item_browser_indexes")]
    operations = [migrations.RunPython(create_topic_indexes, drop_topic_indexes)]
