"""Band keys keep their article id without a database constraint.

Checking the constraint costs one query per key at commit: 64 per article, about a sixth
of an import's time (benchmarks.ingest). Keys are written only with their article, in
its transaction, and deleting an article through the ORM still deletes its keys.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ingest", "0002_article_search_index")]
    operations = [
        migrations.AlterField(
            model_name="storybandkey",
            name="article",
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="ingest.article"),
        ),
    ]
