"""Store the agreement of items labelled before 0004 added the field.

The review list filters and sorts by ``Item.agreement`` in the query, where None means
"fewer than two annotators"; an older item with two or more would otherwise pass for
unanimous. Idempotent: only items still without a value are computed.
"""

from django.db import migrations

from annotations.agreement.items import annotation_labels, item_agreement

# Items computed per round of queries.
CHUNK_SIZE = 500


def backfill(apps, schema_editor):
    Item = apps.get_model("annotations", "Item")
    Annotation = apps.get_model("annotations", "Annotation")
    pending = list(Item.objects.filter(agreement__isnull=True, submitted_count__gte=2)
                   .order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(pending), CHUNK_SIZE):
        latest = {}  # (item, annotator) -> newest annotation
        annotations = (Annotation.objects.filter(item_id__in=pending[first:first + CHUNK_SIZE])
                       .order_by("version").prefetch_related("spans"))
        for annotation in annotations:
            latest[(annotation.item_id, annotation.annotator_id)] = annotation
        labels = {}
        for (item_id, _), annotation in latest.items():
            labels.setdefault(item_id, []).append(annotation_labels(annotation))
        for item_id, item_labels in labels.items():
            Item.objects.filter(pk=item_id).update(agreement=item_agreement(item_labels))


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0004_item_agreement"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
