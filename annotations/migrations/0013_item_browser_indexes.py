"""Indexes of the item browser: keyset pages by id, status and agreement within a project."""

from django.db import migrations, models


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
    ]
