"""Each assignment's project is its item's. Where an annotator held several active items of a
project, the oldest stays active and the others wait, queued, for the queue to hand them out
again (0011 allows one active assignment per annotator and project)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def project_fill(apps, schema_editor):
    Assignment = apps.get_model("annotations", "Assignment")
    Item = apps.get_model("annotations", "Item")
    Assignment.objects.update(project=Subquery(Item.objects.filter(pk=OuterRef("item_id")).values("project_id")[:1]))


def extra_active_queue(apps, schema_editor):
    Assignment = apps.get_model("annotations", "Assignment")
    active = Assignment.objects.filter(status="active").order_by("id")
    kept, extra = set(), []
    for pk, project, annotator in active.values_list("pk", "project_id", "annotator_id").iterator():
        if (project, annotator) in kept:
            extra.append(pk)
        kept.add((project, annotator))
    Assignment.objects.filter(pk__in=extra).update(status="queued")


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0009_assignment_project"),
    ]

    operations = [
        migrations.RunPython(project_fill, migrations.RunPython.noop),
        migrations.RunPython(extra_active_queue, migrations.RunPython.noop),
    ]
