"""Reactions to other apps' signals."""

from django.dispatch import receiver

from ingest.signals import batch_imported

from .intake import items_create_for_batch


@receiver(batch_imported, dispatch_uid="annotations.items_for_imported_batch")
def items_for_imported_batch(sender, batch, **kwargs):
    """A finished import offers its articles to the projects whose intake rules match."""
    items_create_for_batch(batch=batch)
