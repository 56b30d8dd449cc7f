"""Indexes of the item browser: keyset pages by publication date, and by outlet and date."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0007_import_batch_job_lifecycle'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='article_published_idx',
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['published_at', 'id'], name='article_published_id_idx'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['source', 'published_at', 'id'], name='article_source_published_idx'),
        ),
    ]
