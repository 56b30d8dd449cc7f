"""Shared files through Django's storage API: the local MEDIA_ROOT by default, an object store
(STORAGE_BACKEND) when web and workers run on several hosts. Code never builds a path under
MEDIA_ROOT; a step that needs a real local file (seeking all over it) asks for one here."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage

# Bytes copied at a time from a remote storage into a local temporary file.
COPY_CHUNK_BYTES = 1024 * 1024


@contextmanager
def stored_file_local(name: str, *, storage: Storage | None = None) -> Iterator[IO[bytes]]:
    """The stored file ``name`` open for binary reading as a local, seekable file: the file itself
    when the storage keeps it on this host's disk, else a temporary copy, removed on exit."""
    storage = storage or default_storage
    # Only the file system storage promises its files are on this disk (others, such as the
    # in-memory storage, may answer path() with a place where nothing is).
    if isinstance(storage, FileSystemStorage):
        with open(storage.path(name), "rb") as handle:
            yield handle
        return
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, copy, COPY_CHUNK_BYTES)
        copy.seek(0)
        yield copy
