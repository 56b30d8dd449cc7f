"""Imports into a chosen project (new articles and duplicates of stored ones), verbatim texts,
and stored articles added to a project by ids, batch, source, search or dates."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import Item, Project
from ingest.models import Article, ImportBatch
from tests.factories import ArticleFactory, ProjectFactory, SourceFactory, UserFactory, member
from tests.ingest.stories import REWRITE, SAME_EVENT, WIRE, text

pytestmark = pytest.mark.django_db

# A page as a scraper keeps it: cleaning would drop the junk lines and join the spacing; verbatim keeps all.
SCRAPED = ("Portvale Ledger | Home | News\r\n\r\n" + text(WIRE).replace("\n\n", "\r\n\r\n")
           + "\r\n\r\nRead Full Article  \r\nShare this:  Facebook  Twitter\r\n")


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def project():
    return ProjectFactory(intake=Project.Intake.MANUAL)


def items_of(project):
    return set(Item.objects.filter(project=project).values_list("article__body", flat=True))


def test_an_import_into_a_project_makes_every_article_its_item_before_it_says_done(project, manager):
    records = [{"text": text(WIRE)}, {"text": text(SAME_EVENT)}, {"text": text(REWRITE)}]
    client_for(manager).post("/api/imports/", {"articles": [records[1]]}, format="json")  # stored, in no project
    stored = Article.objects.get()

    response = client_for(manager).post("/api/imports/", {"articles": records, "project": project.pk}, format="json")

    body = response.json()
    assert response.status_code == 201 and body["status"] == "done" and body["project"] == project.pk
    assert (body["created_count"], body["duplicate_count"]) == (2, 1)
    assert len(items_of(project)) == 3 and stored.body in items_of(project)
    again = client_for(manager).post("/api/imports/", {"articles": records, "project": project.pk}, format="json")
    assert again.json()["duplicate_count"] == 3 and Item.objects.filter(project=project).count() == 3


def test_a_verbatim_import_keeps_the_text_exactly_as_sent(project, manager):
    response = client_for(manager).post("/api/imports/", {
        "articles": [{"text": SCRAPED, "title": "Pier closes", "published": "2024-05-07T08:00:00Z"}],
        "project": project.pk, "verbatim": True}, format="json")

    assert response.status_code == 201 and response.json()["verbatim"] is True
    article = Article.objects.get()
    assert article.body == SCRAPED and article.raw_text == SCRAPED and article.removed_lines == []
    assert article.title == "Pier closes" and article.published_at.isoformat() == "2024-05-07T08:00:00+00:00"
    assert items_of(project) == {SCRAPED}


def test_one_record_may_ask_for_its_text_verbatim(manager):
    client_for(manager).post("/api/imports/", [{"text": SCRAPED, "verbatim": True},
                                               {"text": SCRAPED.replace("Portvale", "Lowmere")}], format="json")

    verbatim, cleaned = Article.objects.order_by("id")
    assert verbatim.body == SCRAPED
    assert cleaned.body != SCRAPED.replace("Portvale", "Lowmere") and "Read Full Article" not in cleaned.body


def test_a_verbatim_text_whose_words_are_stored_with_other_spacing_fails_and_says_why(manager):
    client_for(manager).post("/api/imports/", [{"text": text(WIRE)}], format="json")
    respaced = text(WIRE).replace("\n\n", "\n\n\n")

    body = client_for(manager).post("/api/imports/", {"articles": [{"text": respaced}], "verbatim": True},
                                    format="json").json()

    assert (body["created_count"], body["duplicate_count"], body["failed_count"]) == (0, 0, 1)
    assert "different text" in body["errors"][0]["message"]


def test_a_manager_imports_into_their_project_only(project):
    manager = member(project, "manager")
    client = client_for(manager)
    articles = [{"text": text(WIRE)}]

    assert client.post("/api/imports/", {"articles": articles}, format="json").status_code == 400
    other = client.post("/api/imports/", {"articles": articles, "project": ProjectFactory().pk}, format="json")
    assert other.status_code == 400 and "project" in other.json()["error"]["detail"]
    created = client.post("/api/imports/", {"articles": articles, "project": project.pk}, format="json")
    assert created.status_code == 201 and len(items_of(project)) == 1
    assert client.get(f"/api/imports/{created.json()['id']}/").json()["status"] == "done"
    assert client_for(member(project, "annotator")).post(
        "/api/imports/", {"articles": articles, "project": project.pk}, format="json").status_code == 403


def test_an_importer_names_only_projects_they_manage(project):
    importer = UserFactory()
    importer.user_permissions.add(Permission.objects.get(codename="add_importbatch"))
    response = client_for(importer).post("/api/imports/", {"articles": [{"text": text(WIRE)}],
                                                           "project": project.pk}, format="json")
    assert response.status_code == 400 and not Article.objects.exists()


# --- adding stored articles -----------------------------------------------------

@pytest.fixture
def corpus():
    wire, other = SourceFactory(name="Northwind Wire"), SourceFactory(name="Lowmere Courier")
    return {
        "ferry": ArticleFactory(source=wire, title="Ferry pier closes", body="The ferry pier closes for repairs.",
                                published_at="2024-05-01T10:00:00Z"),
        "budget": ArticleFactory(source=wire, title="Budget vote", body="The council votes on the budget.",
                                 published_at="2024-06-01T10:00:00Z"),
        "storm": ArticleFactory(source=other, title="Storm warning", body="A storm reaches the ferry lines.",
                                published_at="2024-07-01T10:00:00Z"),
    }


def add(project, user, **selection):
    return client_for(user).post(f"/api/projects/{project.pk}/articles/", selection, format="json")


@pytest.mark.parametrize("selection, expected", [
    (lambda c: {"articles": [c["ferry"].pk, c["storm"].pk]}, {"ferry", "storm"}),
    (lambda c: {"source": c["ferry"].source_id}, {"ferry", "budget"}),
    (lambda c: {"q": "ferry"}, {"ferry", "storm"}),
    (lambda c: {"published_after": "2024-05-15T00:00:00Z", "published_before": "2024-07-01T10:00:00Z"}, {"budget"}),
    (lambda c: {"source": c["ferry"].source_id, "q": "budget"}, {"budget"}),
])
def test_managers_add_stored_articles_by_any_criterion(project, corpus, selection, expected):
    response = add(project, member(project, "manager"), **selection(corpus))

    assert response.status_code == 200, response.json()
    assert response.json() == {"added": len(expected), "already_present": 0, "matched": len(expected)}
    assert items_of(project) == {corpus[name].body for name in expected}


def test_adding_twice_adds_nothing_and_says_what_was_there(project, corpus):
    manager = member(project, "manager")
    add(project, manager, articles=[corpus["ferry"].pk])

    response = add(project, manager, articles=[corpus["ferry"].pk, corpus["budget"].pk])

    assert response.json() == {"added": 1, "already_present": 1, "matched": 2}
    assert Item.objects.filter(project=project).count() == 2


def test_adding_an_import_batch_takes_its_duplicates_too(project, manager):
    client_for(manager).post("/api/imports/", [{"text": text(SAME_EVENT)}], format="json")
    stored = Article.objects.get()
    batch = client_for(manager).post("/api/imports/", [{"text": text(WIRE)}, {"text": text(SAME_EVENT)}],
                                     format="json").json()

    response = add(project, member(project, "manager"), import_batch=batch["id"])

    assert response.json()["added"] == 2 and stored.body in items_of(project)


@pytest.mark.parametrize("role, status", [("annotator", 403), ("reviewer", 403)])
def test_only_managers_add_articles(project, corpus, role, status):
    assert add(project, member(project, role), articles=[corpus["ferry"].pk]).status_code == status
    assert add(ProjectFactory(), member(project, "manager"), articles=[corpus["ferry"].pk]).status_code == 404


def test_a_selection_needs_a_criterion_that_exists(project):
    manager = member(project, "manager")
    assert add(project, manager).status_code == 400
    assert add(project, manager, import_batch=999999).status_code == 400


def test_the_admin_adds_the_articles_the_list_shows_to_a_project(project, corpus, admin_client):
    url = reverse("admin:ingest_article_changelist")
    response = admin_client.post(url, {"action": "add_to_project", "project": project.pk,
                                       "_selected_action": [corpus["ferry"].pk, corpus["storm"].pk]}, follow=True)

    assert "2 articles added, 0 were items already" in response.content.decode()
    assert items_of(project) == {corpus["ferry"].body, corpus["storm"].body}
    assert ImportBatch.objects.count() == 0
