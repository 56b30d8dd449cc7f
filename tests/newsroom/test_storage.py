"""Shared files go through Django's storage API only: with a storage that is not the local disk
(Django's InMemoryStorage standing in for an object store), an uploaded import, a release build and
its download, and a model version's save and load all work, and nothing is written under MEDIA_ROOT."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.models import ModelVersion
from annotations.preannotation.learning.versions import model_version_create, model_version_load
from ingest.models import Article, ImportBatch
from newsroom.storage import stored_file_local
from tests import factories
from tests.annotations.datasets.test_releases import download, make_project, releases_url
from tests.annotations.preannotation.learning.gold import sentiment_gold
from tests.ingest.records import article, jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_storage(settings, tmp_path):
    """The default storage in memory; MEDIA_ROOT a folder that must never be created."""
    settings.MEDIA_ROOT = tmp_path / "local-disk"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    yield default_storage
    assert not settings.MEDIA_ROOT.exists(), "a shared file was written to the local disk"


@pytest.fixture
def staff_client():
    client = APIClient()
    client.force_authenticate(factories.UserFactory(is_staff=True))
    return client


def zipped(records: list[dict]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for record in records:
            archive.writestr(f"{record['title']}.txt", f"{record['title']}\n\n{record['text']}")
    return buffer.getvalue()


def test_the_object_storage_fixture_replaces_the_local_disk(object_storage):
    object_storage.save("probe.txt", ContentFile(b"x"))

    assert isinstance(default_storage._wrapped, InMemoryStorage)
    assert default_storage.exists("probe.txt")


def test_an_upload_imported_by_the_worker_task_is_read_back_from_the_storage(
        object_storage, staff_client, settings, django_capture_on_commit_callbacks):
    settings.INGEST_SYNC_MAX_BYTES = 0  # stored, then imported by the task (eager here)
    files = [SimpleUploadedFile("feed.jsonl", jsonl([article(1), article(2)])),
             SimpleUploadedFile("pages.zip", zipped([article(3), article(4), article(5)]))]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/api/imports/", {"files": files}, format="multipart")

    assert response.status_code == 202, response.content
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == "done", batch.error
    assert batch.created_count == 5 and Article.objects.filter(import_batch=batch).count() == 5
    assert all(object_storage.exists(entry["stored"]) for entry in batch.inputs)


def test_a_release_is_built_into_the_storage_and_downloaded_from_it(object_storage, django_capture_on_commit_callbacks):
    project = make_project()
    client = APIClient()
    client.force_authenticate(factories.member(project, "manager"))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(releases_url(project), {"export_format": "jsonl"}, format="json").status_code == 202
    release = client.get(releases_url(project, 1)).data
    got, data = download(client, project, 1)

    assert release["status"] == "done", release["error"]
    assert got.status_code == 200 and hashlib.sha256(data).hexdigest() == release["checksum"]
    (stored,) = project.releases.values_list("file", flat=True)
    with object_storage.open(stored, "rb") as handle:
        assert handle.read() == data and b"Brandt" in data


def test_a_model_version_is_saved_to_the_storage_and_loaded_from_it(object_storage, django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    sentiment_gold(project)

    with django_capture_on_commit_callbacks(execute=True):
        version = model_version_create(project=project, kind="sentiment")
    version = ModelVersion.objects.get(pk=version.pk)

    assert version.status == "done", version.error
    assert object_storage.exists(version.artifact.name)
    model = model_version_load(version)
    (label, probability), = model.predict(["Shares soared after strong record profits."])
    assert label in ("positive", "negative", "neutral") and 0 <= probability <= 1


def test_a_stored_file_is_a_local_copy_from_an_object_store_and_itself_on_the_local_disk(settings, tmp_path):
    remote, local = InMemoryStorage(), FileSystemStorage(location=tmp_path / "media")
    for storage in (remote, local):
        storage.save("imports/1/feed.zip", ContentFile(b"PK archive bytes"))

    with stored_file_local("imports/1/feed.zip", storage=remote) as copy:
        assert copy.fileno() >= 0 and copy.read() == b"PK archive bytes"  # a real file of this host
    with stored_file_local("imports/1/feed.zip", storage=local) as itself:
        assert itself.name == local.path("imports/1/feed.zip") and itself.read() == b"PK archive bytes"
