"""The import and article API: uploads, JSON lists, large uploads via a task, roles."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ingest.models import Article, ImportBatch
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def upload(name, content: str | bytes):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def test_manager_uploads_files_and_gets_the_summary(client_for, manager):
    jsonl = json.dumps({"title": "Pier closes", "text": text(WIRE)}) + "\n{broken\n"
    response = client_for(manager).post("/api/imports/", {
        "files": [upload("feed.jsonl", jsonl), upload("story.txt", "Island anger\n\n" + text(SAME_EVENT))],
        "source": "Northwind Wire",
    }, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["created_count"], body["failed_count"]) == ("done", 2, 1)
    assert body["inputs"] == ["feed.jsonl", "story.txt"]
    assert body["errors"][0]["origin"] == "feed.jsonl:2"
    assert "JSON" in body["errors"][0]["message"]


def test_json_list_of_articles(client_for, manager):
    response = client_for(manager).post("/api/imports/", [{"title": "Pier", "text": text(WIRE)},
                                                         {"title": "Rewrite", "text": text(REWRITE)}], format="json")
    assert response.status_code == 201
    assert response.json()["near_duplicate_count"] == 1
    clusters = set(Article.objects.values_list("story_cluster", flat=True))
    assert len(clusters) == 1 and None not in clusters


def test_large_upload_is_queued_and_a_task_imports_it(client_for, manager, settings, tmp_path,
                                                      django_capture_on_commit_callbacks):
    settings.INGEST_SYNC_MAX_BYTES = 10
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("stories/pier.txt", "Pier closes\n\n" + text(WIRE))
        bundle.writestr("../escape.txt", "Sneaky\n\nThis must never be read from outside the archive.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post("/api/imports/", {"files": [upload("bundle.zip", archive.getvalue())]},
                                            format="multipart")
        assert response.status_code == 202
        assert response.json()["status"] == "pending"
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert (batch.status, batch.created_count, batch.failed_count) == ("done", 1, 1)
    assert "unsafe" in batch.records.get().message
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"media"}
    progress = client_for(manager).get(f"/api/imports/{batch.pk}/").json()
    assert progress["processed_count"] == 2


def test_nothing_to_import_is_a_400_with_the_error_envelope(client_for, manager):
    response = client_for(manager).post("/api/imports/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_records_endpoint_lists_duplicates_and_failures(client_for, manager):
    client = client_for(manager)
    client.post("/api/imports/", [{"text": text(WIRE)}], format="json")
    second = client.post("/api/imports/", [{"text": text(WIRE)}, {"title": "empty"}], format="json").json()
    records = client.get(f"/api/imports/{second['id']}/records/").json()["results"]
    assert [r["outcome"] for r in records] == ["duplicate", "failed"]
    failed = client.get(f"/api/imports/{second['id']}/records/?outcome=failed").json()["results"]
    assert [r["origin"] for r in failed] == ["request.jsonl:2"]


@pytest.mark.parametrize("role, allowed", [("manager", True), ("annotator", False), ("anonymous", False)])
def test_who_may_import(role, allowed, request):
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(request.getfixturevalue(role))
    response = client.post("/api/imports/", [{"text": text(WIRE)}], format="json")
    assert (response.status_code in (201, 202)) is allowed
    assert response.status_code in ((201,) if allowed else (401, 403))
    assert client.get("/api/imports/").status_code == (200 if allowed else response.status_code)


def test_articles_list_filters_and_detail(client_for, manager):
    client_for(manager).post("/api/imports/", [
        {"title": "Pier", "text": text(WIRE), "source": "Northwind Wire", "published": "2024-03-04T09:15:00Z"},
        {"title": "Rewrite", "text": text(REWRITE), "source": "Harbor Ledger"},
        {"title": "Anger", "text": text(SAME_EVENT), "source": "Harbor Ledger", "published": "2023-01-01"},
    ], format="json")
    client = client_for(manager)
    listed = client.get("/api/articles/").json()
    assert len(listed["results"]) == 3 and "body" not in listed["results"][0]
    ledger = client.get("/api/articles/", {"source": Article.objects.get(title="Anger").source_id}).json()
    assert {a["title"] for a in ledger["results"]} == {"Rewrite", "Anger"}
    recent = client.get("/api/articles/", {"published_after": "2024-01-01T00:00:00Z"}).json()
    assert [a["title"] for a in recent["results"]] == ["Pier"]
    pier = Article.objects.get(title="Pier")
    detail = client.get(f"/api/articles/{pier.pk}/").json()
    assert detail["body"] == pier.body and detail["raw_text"] == text(WIRE)
    assert detail["same_story"] == [Article.objects.get(title="Rewrite").pk]


def test_schema_documents_the_import_endpoint(client_for, annotator):
    response = client_for(annotator).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"202", "201", "400"} <= set(paths["/api/imports/"]["post"]["responses"])


def test_text_search_over_articles(client_for, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search vectors' job runs after the commit
        client_for(manager).post("/api/imports/", [
            {"title": "Pier", "text": text(WIRE)}, {"title": "Anger", "text": text(SAME_EVENT)}], format="json")
    client = client_for(manager)
    found = client.get("/api/articles/", {"q": "inspectors cracks"}).json()["results"]
    assert [a["title"] for a in found] == ["Pier"]
    both = client.get("/api/articles/", {"q": "Portvale"}).json()["results"]
    assert {a["title"] for a in both} == {"Pier", "Anger"}
    assert client.get("/api/articles/", {"q": "zeppelin"}).json()["results"] == []


@pytest.mark.parametrize("url", ["/api/articles/", "/api/sources/"])
def test_the_corpus_is_for_managers(client_for, manager, annotator, url):
    assert client_for(manager).get(url).status_code == 200
    assert client_for(annotator).get(url).status_code == 403
    assert APIClient().get(url).status_code in (401, 403)
