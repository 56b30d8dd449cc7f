"""Bad input in one batch: every bad item gets a clear error, every good item is imported,
nothing is written outside the media folder, and re-importing adds nothing."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from ingest.models import Article, ImportBatch, ImportRecord
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def messy_folder(tmp_path):
    """Good articles mixed with every kind of bad input a user drops into an import."""
    root = tmp_path / "drop"
    root.mkdir()
    (root / "good.txt").write_text("Pier closes\n\n" + text(WIRE), encoding="utf-8")
    (root / "latin1.txt").write_bytes(("Café reopens\n\n" + text(SAME_EVENT) + " Zoë said “fine”.").encode("cp1252"))
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with (root / "huge.txt").open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(FIFTY_MB)
    lines = [json.dumps({"title": "Rewrite", "text": text(REWRITE)}), "{not json", json.dumps({"title": "no text"})]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "table.csv").write_text("headline,story\nA title,Some text\n", encoding="utf-8")
    (root / "scripts.html").write_text("<html><head><script>alert(1)</script></head><body><script>var x = 1;"
                                       "</script><style>p{}</style></body></html>", encoding="utf-8")
    (root / "bundle.zip").write_bytes(zip_bytes({
        "../escape.txt": b"Escape\n\nThis file must never be written anywhere.",
        "/etc/absolute.txt": b"Absolute\n\nNor this one.",
        "inner.zip": zip_bytes({"a.txt": b"nested"}),
    }))
    return root


def import_folder(path) -> ImportBatch:
    call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    return ImportBatch.objects.order_by("id").last()


def failures(batch) -> dict[str, str]:
    return dict(batch.records.filter(outcome=ImportRecord.Outcome.FAILED).values_list("origin", "message"))


def test_every_bad_item_is_reported_and_good_ones_imported(messy_folder):
    batch = import_folder(messy_folder)
    assert batch.status == ImportBatch.Status.DONE
    assert set(Article.objects.values_list("origin", flat=True)) == {
        "drop/good.txt", "drop/latin1.txt", "drop/feed.jsonl:1"}
    errors = failures(batch)
    expected = {
        "drop/empty.txt": "empty",
        "drop/photo.txt": "binary",
        "drop/huge.txt": "MB",
        "drop/feed.jsonl:2": "not valid JSON",
        "drop/feed.jsonl:3": "text",
        "drop/table.csv": "no text column",
        "drop/scripts.html": "no article text",
        "drop/bundle.zip!/../escape.txt": "unsafe",
        "drop/bundle.zip!/inner.zip": "nested",
    }
    for origin, words in expected.items():
        assert origin in errors, f"no error for {origin}: {errors}"
        assert words.lower() in errors[origin].lower(), (origin, errors[origin])
    assert any("absolute.txt" in origin and "unsafe" in message for origin, message in errors.items())
    assert "Zoë" in Article.objects.get(origin="drop/latin1.txt").body


def test_reimporting_the_same_folder_adds_nothing(messy_folder):
    import_folder(messy_folder)
    stored = set(Article.objects.values_list("id", flat=True))
    again = import_folder(messy_folder)
    assert set(Article.objects.values_list("id", flat=True)) == stored
    assert (again.created_count, again.duplicate_count) == (0, 3)


def test_uploaded_bad_zip_writes_nothing_outside_media(manager, tmp_path, settings):
    client = APIClient()
    client.force_authenticate(manager)
    archive = zip_bytes({"../../escape.txt": b"Escape\n\nNever written.", "ok/story.txt":
                         ("Pier\n\n" + text(WIRE)).encode()})
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/imports/", {"files": [SimpleUploadedFile("drop.zip", archive)]},
                           format="multipart")
    assert response.status_code == 201
    assert response.json()["created_count"] == 1 and response.json()["failed_count"] == 1
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and settings.MEDIA_ROOT not in p.parents]
    assert outside == []
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()
