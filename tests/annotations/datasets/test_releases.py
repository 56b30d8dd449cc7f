"""Dataset releases: built by a task after commit, immutable, versioned, downloadable with a checksum."""

import hashlib
import logging
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.datasets.exports import ExportFilters
from annotations.datasets.formats import FORMATS
from annotations.datasets.formats.jsonl import JsonlFormat
from annotations.datasets.releases import RELEASE_STALE_AFTER, release_build, release_create
from annotations.models import Release
from annotations.queue import assignment_claim_next
from annotations.services import annotation_submit
from annotations.gold import gold_accept
from annotations.tasks import release_build_task
from annotations.validation import SpanInput
from newsroom.errors import Conflict
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

BODY = "Mayor Zoë Brandt 🚀 met Harbor Ledger editors in Portvale on Monday.\nThe talks went well."


def span(text, label):
    start = BODY.index(text)
    return SpanInput(start, start + len(text), label, text)


def make_project():
    """One item with accepted gold (three spans), one without."""
    project = ProjectFactory(overlap=1)
    gold_item = ItemFactory(project=project, article=ArticleFactory(body=BODY, title="Brandt meets editors"))
    ItemFactory(project=project)
    annotator = member(project, "annotator")
    assignment_claim_next(project=project, annotator=annotator)
    annotation = annotation_submit(item=gold_item, annotator=annotator, sentiment="positive",
                                   spans=[span("Zoë Brandt", "PERSON"), span("Harbor Ledger", "ORG"),
                                          span("Portvale", "GPE")])
    gold_accept(item=gold_item, reviewer=None, annotation=annotation)
    return project


@pytest.fixture
def project():
    return make_project()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def releases_url(project, *rest):
    return "/".join([f"/api/projects/{project.pk}/releases", *map(str, rest), ""])


def create(client, project, capture, **data):
    """POST a release and run what was queued on commit (the build, eagerly)."""
    with capture(execute=True):
        response = client.post(releases_url(project), data, format="json")
    return response


def download(client, project, version):
    response = client.get(releases_url(project, version, "download"))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def stored_files(project):
    folder = f"releases/{project.pk}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


# --- building and downloading -------------------------------------------------

def test_release_is_built_after_commit_and_downloads_with_its_checksum(project, django_capture_on_commit_callbacks):
    client = client_for(member(project, "manager"))
    response = create(client, project, django_capture_on_commit_callbacks, export_format="jsonl", note="first cut")
    assert response.status_code == 202
    assert (response.data["version"], response.data["status"]) == (1, "pending")  # built after commit

    release = client.get(releases_url(project, 1)).data
    assert release["status"] == "done", release["error"]
    assert (release["document_count"], release["span_count"], release["note"]) == (1, 3, "first cut")
    assert release["summary"]["spans"] == 3
    got, data = download(client, project, 1)
    assert got.status_code == 200
    assert got["X-Checksum-SHA256"] == release["checksum"] == hashlib.sha256(data).hexdigest()
    assert release["size_bytes"] == len(data)
    assert got["Content-Disposition"].startswith("attachment") and 'v1.jsonl"' in got["Content-Disposition"]
    assert release["download_url"].endswith(releases_url(project, 1, "download"))
    streamed = client.get(f"/api/projects/{project.pk}/export/", {"export_format": "jsonl"})
    assert data == b"".join(streamed.streaming_content)


def test_versions_count_up_per_project_and_keep_their_filters(project, django_capture_on_commit_callbacks):
    client = client_for(member(project, "manager"))
    create(client, project, django_capture_on_commit_callbacks, export_format="jsonl")
    second = create(client, project, django_capture_on_commit_callbacks, export_format="csv", gold_only=False,
                    published_after="2020-01-01T00:00:00Z")
    assert second.data["version"] == 2
    other = make_project()
    assert create(client_for(member(other, "manager")), other, django_capture_on_commit_callbacks).data["version"] == 1

    listed = client.get(releases_url(project)).data["results"]
    assert [r["version"] for r in listed] == [2, 1]
    assert listed[0]["filters"]["gold_only"] is False
    assert listed[0]["filters"]["published_after"].startswith("2020-01-01T00:00:00")
    _, data = download(client, project, 2)
    params = {"export_format": "csv", "gold_only": "false", "published_after": "2020-01-01T00:00:00Z"}
    assert data == b"".join(client.get(f"/api/projects/{project.pk}/export/", params).streaming_content)
    assert sorted(stored_files(project)) == [f"{project.name.lower().replace(' ', '-')}-v{v}.{ext}"
                                             for v, ext in ((1, "jsonl"), (2, "csv"))]


def test_filters_decide_the_counts(project, django_capture_on_commit_callbacks):
    client = client_for(member(project, "manager"))
    create(client, project, django_capture_on_commit_callbacks, gold_only=False)
    create(client, project, django_capture_on_commit_callbacks, published_after="2999-01-01T00:00:00Z")
    counts = {r["version"]: r["document_count"] for r in client.get(releases_url(project)).data["results"]}
    assert counts == {1: 2, 2: 0}


# --- idempotency and failure ---------------------------------------------------

def test_the_task_twice_does_not_rebuild(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = release_create(project=project, user=None, export_format="jsonl", filters=ExportFilters())
    release.refresh_from_db()
    assert release.status == Release.Status.DONE
    before = (release.file.name, release.checksum, release.started_at, release.finished_at)

    release_build_task.delay(release.pk)  # a duplicate delivery
    release.refresh_from_db()
    assert (release.file.name, release.checksum, release.started_at, release.finished_at) == before
    assert len(stored_files(project)) == 1
    with pytest.raises(Conflict, match="built once"):
        release_build(release=release)


def test_a_running_release_is_left_alone_until_its_build_is_stale(project):
    release = Release.objects.create(project=project, version=1, export_format="jsonl",
                                     status=Release.Status.RUNNING, started_at=timezone.now())
    release_build_task.delay(release.pk)
    release.refresh_from_db()
    assert release.status == Release.Status.RUNNING

    Release.objects.filter(pk=release.pk).update(started_at=timezone.now() - RELEASE_STALE_AFTER - timedelta(1))
    release_build_task.delay(release.pk)  # the worker that claimed it died; a redelivery takes over
    release.refresh_from_db()
    assert (release.status, release.document_count) == (Release.Status.DONE, 1)


class BrokenFormat(JsonlFormat):
    def write(self, records):
        yield b"half a file"
        raise ValueError("the exporter broke")


def test_a_failing_exporter_marks_the_release_failed(project, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(FORMATS, "jsonl", BrokenFormat)
    client = client_for(member(project, "manager"))
    create(client, project, django_capture_on_commit_callbacks, export_format="jsonl")

    release = Release.objects.get(project=project)
    assert release.status == Release.Status.FAILED
    assert release.error == "ValueError: the exporter broke"
    assert (release.file.name, release.checksum, release.finished_at is not None) == ("", "", True)
    assert stored_files(project) == []
    response, _ = download(client, project, 1)
    assert response.status_code == 409
    assert "the exporter broke" in response.data["error"]["message"]


def test_a_database_error_hands_the_release_back_and_the_task_retries(project, monkeypatch):
    calls = []

    class FlakyFormat(JsonlFormat):
        def write(self, records):
            calls.append(1)
            if len(calls) == 1:
                raise OperationalError("server closed the connection unexpectedly")
            yield from super().write(records)

    monkeypatch.setitem(FORMATS, "jsonl", FlakyFormat)
    release = Release.objects.create(project=project, version=1, export_format="jsonl")
    # Eager, a retry runs at once; throw=False, because with eager_propagates Celery raises the
    # Retry instead of running it.
    result = release_build_task.apply((release.pk,), throw=False)
    assert result.successful()
    release.refresh_from_db()
    assert len(calls) == 2
    assert (release.status, release.document_count, release.error) == (Release.Status.DONE, 1, "")


def test_a_build_that_lost_its_claim_keeps_nothing(project, monkeypatch):
    release = Release.objects.create(project=project, version=1, export_format="jsonl")

    class TakenOver(JsonlFormat):
        def write(self, records):
            yield from super().write(records)
            # Meanwhile another worker judged this build dead and claimed the row.
            Release.objects.filter(pk=release.pk).update(started_at=timezone.now() + timedelta(seconds=1))

    monkeypatch.setitem(FORMATS, "jsonl", TakenOver)
    with pytest.raises(Conflict, match="claimed by another build"):
        release_build(release=release)
    release.refresh_from_db()
    assert (release.status, release.file.name, release.checksum) == (Release.Status.RUNNING, "", "")
    assert stored_files(project) == []


def test_a_missing_release_is_logged_not_retried(caplog):
    with caplog.at_level(logging.WARNING, logger="annotations.tasks"):
        release_build_task.delay(987654)
    assert "Release 987654 does not exist" in caplog.text


def test_downloading_a_pending_release_is_a_conflict(project, django_capture_on_commit_callbacks):
    client = client_for(member(project, "manager"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(releases_url(project), {"export_format": "csv"}, format="json")
    assert len(queued) == 1  # the build waits for the commit
    response, _ = download(client, project, 1)
    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"
    assert client.get(releases_url(project, 1)).data["download_url"] is None


def test_bad_input_is_refused(project):
    client = client_for(member(project, "manager"))
    assert client.post(releases_url(project), {"export_format": "docx"}, format="json").status_code == 400
    assert client.get(releases_url(project, 7)).status_code == 404
    assert not Release.objects.exists()


@pytest.mark.parametrize("export_format", ["conll", "spacy"])
def test_a_release_of_every_item_is_refused_by_the_formats_that_hold_only_gold(project, export_format):
    client = client_for(member(project, "manager"))

    response = client.post(releases_url(project), {"export_format": export_format, "gold_only": False}, format="json")

    assert response.status_code == 400
    assert response.data["error"]["code"] == "export_refused"
    assert "Export every item as csv or jsonl" in response.data["error"]["message"]
    assert not Release.objects.exists()


def test_a_release_keeps_its_csv_formula_option(project, django_capture_on_commit_callbacks):
    client = client_for(member(project, "manager"))
    project.items.exclude(gold__isnull=False).update(article=ArticleFactory(title="@everyone look"))

    create(client, project, django_capture_on_commit_callbacks, export_format="csv", gold_only=False,
           csv_formulas="raw")

    release = Release.objects.get(project=project)
    _, data = download(client, project, release.version)
    assert release.filters["csv_formulas"] == "raw" and release.document_count == 2
    assert b",@everyone look," in data  # raw: no quote in front


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_versions():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")
    project = ProjectFactory()
    barrier = threading.Barrier(8)
    versions, errors = [], []

    def create_one():
        try:
            barrier.wait()
            versions.append(release_create(project=project, user=None, export_format="csv",
                                           filters=ExportFilters()).version)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(versions) == list(range(1, 9))


# --- who may do what ----------------------------------------------------------

def every_endpoint(client, project):
    return [client.get(releases_url(project)), client.post(releases_url(project), {}, format="json"),
            client.get(releases_url(project, 1)), client.get(releases_url(project, 1, "download"))]


@pytest.fixture
def released(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release_create(project=project, user=None, export_format="jsonl", filters=ExportFilters())
    return project


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_only_managers_of_the_project_see_releases(released, role):
    responses = every_endpoint(client_for(member(released, role)), released)
    assert [r.status_code for r in responses] == [403] * 4


def test_outsiders_and_other_projects_managers_get_404(released):
    other_manager = member(ProjectFactory(), "manager")
    for user in (UserFactory(), other_manager):
        assert [r.status_code for r in every_endpoint(client_for(user), released)] == [404] * 4
    assert APIClient().get(releases_url(released)).status_code in (401, 403)
    assert Release.objects.count() == 1


def test_a_release_cannot_be_changed_or_deleted_over_the_api(released):
    client = client_for(member(released, "manager"))
    url = releases_url(released, 1)
    assert [client.patch(url, {"note": "x"}, format="json").status_code, client.delete(url).status_code] == [405, 405]


def test_admin_lists_releases_and_adds_none(admin_client, released):
    assert admin_client.get(reverse("admin:annotations_release_changelist")).context["cl"].result_count == 1
    assert admin_client.get(reverse("admin:annotations_release_add")).status_code == 403
    page = admin_client.get(reverse("admin:annotations_release_change", args=[released.releases.get().pk]))
    assert page.status_code == 200 and b'name="checksum"' not in page.content  # read-only
