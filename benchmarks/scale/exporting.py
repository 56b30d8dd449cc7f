"""Exports at a checkpoint: the streamed export of the project's gold (JSONL and CoNLL) in a
process of its own, so its peak memory is the export's (see ``benchmarks.export``), and a
release built by the Celery worker, timed from the request to the finished file."""

import time
from pathlib import Path

from annotations.datasets.exports import ExportFilters
from annotations.datasets.releases import release_create
from annotations.models import Project, Release
from benchmarks import export as export_benchmark

FORMATS = ("jsonl", "conll")
RELEASE_TIMEOUT_S = 1800


def streamed_exports(*, project: Project, folder: Path) -> dict:
    """docs/s and peak RSS of each format's streamed export of the project's gold."""
    results = {}
    for fmt in FORMATS:
        path = folder / f"export.{fmt}"
        results[fmt] = export_benchmark.run_child(project_id=project.pk, fmt=fmt, path=path)
        path.unlink(missing_ok=True)
    return results


def release_build(*, project: Project, user, fmt: str = "jsonl") -> dict:
    """A release of the project's gold, built by the worker: seconds until done, and its figures."""
    started = time.perf_counter()
    release = release_create(project=project, user=user, export_format=fmt, filters=ExportFilters(),
                             note="scale benchmark")
    queued = getattr(release, "queued", None)
    deadline = time.monotonic() + (RELEASE_TIMEOUT_S if queued is not False else 0)
    finished = (Release.Status.DONE, Release.Status.FAILED)
    while release.status not in finished and time.monotonic() < deadline:
        time.sleep(0.1)
        release.refresh_from_db()
    seconds = time.perf_counter() - started
    build_s = ((release.finished_at - release.started_at).total_seconds()
               if release.finished_at and release.started_at else None)
    return {"format": fmt, "status": release.status, "queued": queued, "error": release.error[:500], "seconds": seconds,
            "build_s": build_s, "documents": release.document_count,
            "docs_per_s": release.document_count / build_s if build_s else None, "size_bytes": release.size_bytes}
