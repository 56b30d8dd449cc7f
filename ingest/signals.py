"""Signals ingest sends; other apps listen (ingest never imports them)."""

from django.dispatch import Signal

# Sent once every chunk of an import batch has committed, before the batch is marked done (so
# listeners' work, such as offering the articles to projects, is done when a client sees done);
# kwargs: batch. A listener's error fails the batch.
batch_imported = Signal()

# Sent inside the transaction that commits a chunk of an import; kwargs: batch, article_ids
# (the chunk's new articles and the stored articles its duplicates matched). Receivers write in
# that transaction, so what they create commits exactly when the articles do.
articles_imported = Signal()
