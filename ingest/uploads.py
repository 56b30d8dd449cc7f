"""Imports that arrive over HTTP: store the upload, then import it inline or in a Celery task."""

import json
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.text import get_valid_filename

from .jobs import import_batch_enqueue
from .models import ImportBatch
from .services import import_batch_create, import_batch_inputs_read, import_batch_run

# A JSON list sent in the request body is stored as this file, then read like any JSONL upload.
REQUEST_RECORDS_NAME = "request.jsonl"


def import_upload(
    *, user, files: Iterable = (), records: list | None = None, fmt: str = "auto", source_name: str = "",
    column_map: dict | None = None, project_id: int | None = None, verbatim: bool = False,
) -> ImportBatch:
    """Store uploaded files (or a JSON list of records) in a new batch and import it.

    Uploads up to ``INGEST_SYNC_MAX_BYTES`` are imported before returning; bigger ones
    are imported by a Celery task (the batch is returned pending). If the broker cannot be
    reached the batch is still returned pending, with no ``enqueued_at``: the sweep sends it
    once the broker is back. The stored files stay in storage under imports/<batch>/, so a
    batch can be resumed or re-run.
    ``project_id`` and ``verbatim`` are kept on the batch (see ``import_batch_create``).
    """
    files = list(files)
    if records is not None:
        body = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
        files.append(ContentFile(body.encode(), name=REQUEST_RECORDS_NAME))
        fmt = "jsonl"
    batch = import_batch_create(created_by=user, fmt=fmt, source_name=source_name, column_map=column_map,
                                project_id=project_id, verbatim=verbatim)
    batch.inputs = [_store(batch, index, upload) for index, upload in enumerate(files)]
    batch.save(update_fields=["inputs"])
    if sum(upload.size for upload in files) <= settings.INGEST_SYNC_MAX_BYTES:
        return import_batch_run(batch=batch, results=import_batch_inputs_read(batch=batch))
    if connection.in_atomic_block:  # a caller's transaction: the worker must find the row committed
        transaction.on_commit(lambda: import_batch_enqueue(batch=batch))
    else:
        import_batch_enqueue(batch=batch)
    return batch


def _store(batch: ImportBatch, index: int, upload) -> dict:
    name = upload.name.rsplit("/", 1)[-1] or "upload"
    path = f"imports/{batch.pk}/{index:04d}-{get_valid_filename(name)}"
    stored = default_storage.save(path, upload)
    return {"name": name, "stored": stored, "size": upload.size}
