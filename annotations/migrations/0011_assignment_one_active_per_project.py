"""One active assignment per annotator and project, held by the database: a partial unique
index over the active assignments (parallel requests for the next item by one annotator can
hand out one item only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0010_assignment_project_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="project",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="annotations.project"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "active")),
                                               fields=("project", "annotator"),
                                               name="assignment_one_active_per_project"),
        ),
    ]
