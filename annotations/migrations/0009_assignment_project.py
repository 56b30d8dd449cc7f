"""Each assignment keeps its item's project, so that the database can hold one active
assignment per annotator and project (a constraint cannot reach through the item); and an
assignment may be queued for its annotator. Filled by 0010, constrained by 0011: PostgreSQL
alters no table with row updates pending in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0008_membership_one_row_per_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="project",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="annotations.project"),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="status",
            field=models.CharField(choices=[("active", "Active"), ("queued", "Queued for the annotator"),
                                            ("submitted", "Submitted"), ("skipped", "Skipped"),
                                            ("expired", "Expired")],
                                   default="active", max_length=16),
        ),
    ]
