"""Indexes of the item browser: keyset pages by id, status and agreement within a project, and
(PostgreSQL) the topics of annotations and gold, for the topic filter."""

from django.db import migrations, models

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

    dependencies = [
        ('annotations', '0012_model_version'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['project', 'id'], name='item_browser_id_idx'),
        ),
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['project', 'status', 'id'], name='item_browser_status_idx'),
        ),
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['project', 'agreement', 'id'], name='item_browser_agreement_idx'),
        ),
        migrations.RunPython(create_topic_indexes, drop_topic_indexes),
    ]
