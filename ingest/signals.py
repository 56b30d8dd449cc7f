"""Signals ingest sends; other apps listen (ingest never imports them)."""

from django.dispatch import Signal

# Sent after the transaction that finished an import batch commits; kwargs: batch.
batch_imported = Signal()
