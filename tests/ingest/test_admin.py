"""The corpus admin pages render for a superuser, with the raw vs cleaned view and batch errors."""

import pytest
from django.urls import reverse

from ingest import services
from ingest.models import Article, ImportBatch, Source, StoryCluster
from ingest.readers import read_records
from tests.ingest.stories import REWRITE, WIRE, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    batch = services.import_batch_create(source_name="Harbor Ledger")
    junk = "Pier closes\n\nMust Read\n\n" + text(WIRE) + "\n\nRead Full Article"
    services.import_batch_run(batch=batch, results=read_records([
        {"text": junk}, {"title": "Rewrite", "text": text(REWRITE)}, {"title": "broken"}]))
    return batch


@pytest.mark.parametrize("model", [Article, Source, ImportBatch, StoryCluster])
def test_changelists_render_with_filters(admin_client, corpus, model):
    url = reverse(f"admin:ingest_{model._meta.model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_article_page_shows_raw_and_cleaned_text_and_removed_lines(admin_client, corpus):
    article = Article.objects.get(title="Pier closes")
    page = admin_client.get(reverse("admin:ingest_article_change", args=[article.pk])).content.decode()
    assert "Read Full Article" in page  # in the raw text and the removed-lines table
    assert "read-more" in page or "navigation" in page
    assert article.body[:40] in page


def test_article_filters_by_story_and_search(admin_client, corpus):
    url = reverse("admin:ingest_article_changelist")
    shared = admin_client.get(url, {"has_story": "yes"}).context["cl"].result_count
    assert shared == 2
    found = admin_client.get(url, {"q": "Rewrite"}).context["cl"].result_count
    assert found == 1


def test_batch_page_lists_failures(admin_client, corpus):
    page = admin_client.get(reverse("admin:ingest_importbatch_change", args=[corpus.pk])).content.decode()
    assert "request:3" in page
