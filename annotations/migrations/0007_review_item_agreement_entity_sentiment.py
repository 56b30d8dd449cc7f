"""Refresh the stored agreement of every labelled item: entity sentiment now counts.

Item.agreement was computed at submit without the sentiment toward each entity, so two
annotators who marked the same entity with opposite sentiment were stored as unanimous (1.0)
and the review list's "disagree" filter missed them. No schema change; idempotent (each
value is recomputed from the annotators' current labels). Reversing leaves the values.
"""

from django.db import migrations

from annotations.agreement.items import annotation_labels, item_agreement

# Items computed per round of queries.
CHUNK_SIZE = 500


def refresh(apps, schema_editor):
    Item = apps.get_model("annotations", "Item")
    Annotation = apps.get_model("annotations", "Annotation")
    labelled = list(Item.objects.filter(annotations__isnull=False).distinct().order_by("pk")
                    .values_list("pk", flat=True))
    for first in range(0, len(labelled), CHUNK_SIZE):
        chunk = labelled[first:first + CHUNK_SIZE]
        latest = {}  # (item, annotator) -> newest annotation
        for annotation in (Annotation.objects.filter(item_id__in=chunk).order_by("version")
                           .prefetch_related("spans")):
            latest[(annotation.item_id, annotation.annotator_id)] = annotation
        labels = {item_id: [] for item_id in chunk}
        for (item_id, _), annotation in latest.items():
            labels[item_id].append(annotation_labels(annotation))
        for item_id, item_labels in labels.items():
            Item.objects.filter(pk=item_id).update(agreement=item_agreement(item_labels))


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0006_provenance_gold_history"),
    ]

    operations = [
        migrations.RunPython(refresh, migrations.RunPython.noop),
    ]
