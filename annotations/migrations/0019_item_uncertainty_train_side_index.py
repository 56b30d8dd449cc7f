from django.db import migrations


# The uncertain claims' walk, "most uncertain first" among a project's open items bound for the
# training side: held-out items (item_draw % HELD_OUT_ONE_IN = 0, see models.items) are left out
# of the index, so that once every training-side item is taken an uncertain claim finds none at
# once instead of reading every open held-out item. PostgreSQL only, as item_uncertainty_idx was
# (SQLite has no NULLS LAST in an index). The predicate is the one queue_order's filter compiles
# to, so the planner can prove the index covers the query (params=None: the SQL's % are operators).
TRAIN_SIDE_OPEN = "status = 'open' AND (((id * 2654435761) % 4294967296) % 5) <> 0"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS item_uncertainty_train_idx ON annotations_item "
                              f"(project_id, uncertainty DESC NULLS LAST, id) WHERE {TRAIN_SIDE_OPEN}", params=None)
        schema_editor.execute("DROP INDEX IF EXISTS item_uncertainty_idx")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS item_uncertainty_idx ON annotations_item "
                              "(project_id, uncertainty DESC NULLS LAST, id) WHERE status = 'open'")
        schema_editor.execute("DROP INDEX IF EXISTS item_uncertainty_train_idx")


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0018_item_queue_draw_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
