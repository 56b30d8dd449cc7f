"""The corpus: sources, articles, story clusters and import batches.

    readers/        files, folders, zip archives and records to raw articles, lazily (pure)
    cleaning/       the article apart from the page, metadata, normalisation, MinHash (pure)
    preparation.py  a read record cleaned, described and fingerprinted (pure: runs in worker processes)
    services.py     import batches: reading their stored inputs, running them chunk by chunk
    chunks.py       one chunk's commit: articles, records, counters, cursor; narrowed to bad records
    jobs.py         batches as jobs: claims, hand-back on transient errors, the sweep of stranded ones
    bulk.py         the bulk writes and band-key lookups of an import (the one module with raw SQL)
    stories.py      story clusters of near-duplicates and syndicated rewrites
    uploads.py      imports that arrive over HTTP
    verbatim.py     articles stored exactly as given (imported labels point into their text)
    selectors.py, querysets.py   reads; api.py, admin.py, tasks.py   the interfaces

``ingest`` never imports ``annotations``: each committed chunk sends ``signals.articles_imported``
(in its transaction) and a finished batch ``signals.batch_imported`` (after commit); annotations
listens.
"""
