"""The item list's title search (``q`` of /api/items/): the titles that contain the text, in
any case and anywhere in a word, in the list's order, paged like the list; nothing for a text
no title contains."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

TITLES = ["Harbour cranes idle", "Council budget", "Storm hits the HARBOURSIDE", "Harbour master retires",
          "Ferry timetable", "New harbour dues"]


@pytest.fixture
def project():
    project = ProjectFactory()
    for title in TITLES:
        # The word in the body only does not count: the search reads titles.
        ItemFactory(project=project, article=ArticleFactory(title=title, body="The harbour was calm."))
    return project


@pytest.fixture
def client(project):
    client = APIClient()
    client.force_authenticate(member(project, "reviewer"))
    return client


def titles(client, project, **params) -> list[str]:
    found, url, params = [], "/api/items/", {"project": project.pk, **params}
    while url:
        page = client.get(url, params).json()
        found += [row["title"] for row in page["results"]]
        url, params = page["next"], {}
    return found


def test_titles_containing_the_text_in_any_case_in_list_order(client, project):
    assert titles(client, project, q="harbour") == [title for title in TITLES if "harbour" in title.lower()]


def test_paging_through_the_matches_reads_each_once(client, project):
    assert titles(client, project, q="HARBOUR", page_size=1) == titles(client, project, q="harbour", page_size=50)
    assert len(titles(client, project, q="harbour", page_size=1)) == 4


def test_a_text_no_title_contains_finds_nothing(client, project):
    assert titles(client, project, q="lighthouse") == []
    assert titles(client, project, q="calm") == []


def test_another_projects_items_are_not_found(client, project):
    ItemFactory(project=ProjectFactory(), article=ArticleFactory(title="Harbour of another desk"))
    assert "Harbour of another desk" not in titles(client, project, q="harbour")
