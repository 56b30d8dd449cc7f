"""The sample corpus end to end: `demo_setup` imports it, and the result matches its manifest."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from annotations.models import Item, Prediction, PreannotationRun, Project
from ingest.models import Article, ImportBatch, Source, StoryCluster
from newsroom.celery import app

MANIFEST = json.loads((Path(settings.BASE_DIR) / "sample_data" / "manifest.json").read_text(encoding="utf-8"))
EXPECTED = MANIFEST["articles"]
CANONICAL = {origin: facts for origin, facts in EXPECTED.items() if not facts["duplicate_of"]}


def squash(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Import the corpus once for the module (it is read-only afterwards)."""
    with django_db_blocker.unblock():
        out = StringIO()
        # As in `make demo`: Celery in-process (the per-test eager fixture does not cover module fixtures).
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            call_command("demo_setup", stdout=out, stderr=StringIO())
        finally:
            app.conf.task_always_eager = eager
        articles = {article.origin: article for article in Article.objects.select_related("source")}
        yield out.getvalue(), articles
        Project.objects.all().delete()
        Article.objects.all().delete()
        for model in (ImportBatch, Source, StoryCluster):
            model.objects.all().delete()
        get_user_model().objects.all().delete()


@pytest.mark.django_db
def test_demo_setup_prints_logins_and_imports_every_article(imported):
    output, articles = imported
    assert "annotator1" in output and "newsroom-demo" in output
    assert set(articles) == set(CANONICAL)
    batch = ImportBatch.objects.get()
    assert batch.failed_count == 0, list(batch.records.values_list("origin", "message"))
    assert batch.duplicate_count == len(EXPECTED) - len(CANONICAL)


@pytest.mark.django_db
def test_demo_project_gets_every_article_as_an_item(imported):
    project = Project.objects.get()
    assert Item.objects.filter(project=project).count() == len(CANONICAL)
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert roles == {"admin": "manager", "annotator1": "annotator", "annotator2": "annotator", "reviewer": "reviewer"}


@pytest.mark.django_db
def test_demo_pre_annotates_every_item_with_each_predictor(imported):
    project = Project.objects.get()
    counts = dict(Prediction.objects.filter(item__project=project).values_list("predictor")
                  .annotate(n=Count("id")).values_list("predictor", "n"))
    assert counts == {"spacy-ner": len(CANONICAL), "vader-sentiment": len(CANONICAL), "topics": len(CANONICAL)}
    suggested = Prediction.objects.filter(item__project=project, predictor="spacy-ner")
    assert sum(len(p.labels["spans"]) for p in suggested) > 3 * len(CANONICAL)
    assert PreannotationRun.objects.filter(project=project).exclude(status="done").count() == 0


@pytest.mark.django_db
def test_duplicates_are_linked_to_their_canonical_copy(imported):
    _, articles = imported
    batch = ImportBatch.objects.get()
    for duplicate in MANIFEST["duplicates"]:
        for copy in duplicate["copies"]:
            record = batch.records.get(origin=copy)
            assert record.article_id == articles[duplicate["canonical"]].pk


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(MANIFEST["groups"]))
def test_syndicated_groups_share_one_story_cluster(imported, group):
    _, articles = imported
    members = MANIFEST["groups"][group]["members"]
    clusters = {articles[origin].story_cluster_id for origin in members}
    assert len(clusters) == 1 and None not in clusters, {o: articles[o].story_cluster_id for o in members}
    others = [o for o in CANONICAL if o not in members]
    assert all(articles[o].story_cluster_id not in clusters for o in others)


@pytest.mark.django_db
@pytest.mark.parametrize("origin", sorted(CANONICAL))
def test_cleaning_removes_junk_and_keeps_the_story(imported, origin):
    _, articles = imported
    article, facts = articles[origin], CANONICAL[origin]
    body = squash(article.body)
    for line in facts["junk"]:
        assert squash(line) not in body, f"junk left in body: {line!r}"
    for sentence in facts["keep"]:
        assert squash(sentence) in body, f"story sentence lost: {sentence!r}"
    assert squash(article.title) == squash(facts["title"])
    assert article.raw_text.strip(), "raw text is always kept"


@pytest.mark.django_db
@pytest.mark.parametrize("origin", sorted(CANONICAL))
def test_metadata_matches_the_manifest(imported, origin):
    _, articles = imported
    article, facts = articles[origin], CANONICAL[origin]
    if facts["published"]:
        assert article.published_at is not None
        assert article.published_at.date().isoformat() == facts["published"][:10]
    else:
        assert article.published_at is None
    # The manifest names the city; the dateline keeps the region too ("PORTVALE, Eastland").
    assert article.dateline.split(",")[0].casefold() == (facts["dateline"] or "").casefold()
    assert squash(article.byline) == (facts["byline"] or "")
    if facts["outlet"]:
        assert article.source is not None and article.source.name == facts["outlet"]
