"""Keyset pages: following `next` (and `previous`) visits every row once in the list's order,
whatever the sort column (ties and empty values included), and rows added meanwhile shift nothing."""

from datetime import datetime, timezone

import pytest
from rest_framework.test import APIClient

from ingest.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(manager):
    api = APIClient()
    api.force_authenticate(manager)
    return api


def pages(client, url, params=None, link="next"):
    """Every page of a list, following ``link`` from the first page fetched."""
    response = client.get(url, params)
    found = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        found.append([row["id"] for row in body["results"]])
        if not body[link]:
            return found
        response = client.get(body[link])


def test_pages_follow_next_newest_first_and_previous_back(client):
    ids = [factories.ArticleFactory().pk for _ in range(7)]
    visited = pages(client, "/api/articles/", {"page_size": 3})
    assert visited == [sorted(ids, reverse=True)[i:i + 3] for i in (0, 3, 6)]

    first = client.get("/api/articles/", {"page_size": 3}).json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [a["id"] for a in client.get(second["previous"]).json()["results"]] == visited[0]


def test_a_sort_column_with_ties_and_empty_values_is_visited_in_order_once(client):
    day = datetime(2024, 5, 1, tzinfo=timezone.utc)
    for n in range(11):
        factories.ArticleFactory(published_at=None if n % 4 == 0 else day.replace(day=1 + n % 3))
    expected = sorted(Article.objects.all(), key=lambda a: (a.published_at is None, a.published_at or day, a.pk))
    visited = pages(client, "/api/articles/", {"page_size": 2, "ordering": "published_at"})
    assert sum(visited, []) == [a.pk for a in expected]

    newest_first = sorted(expected, key=lambda a: (a.published_at is None, -(a.published_at or day).timestamp(), -a.pk))
    visited = pages(client, "/api/articles/", {"page_size": 4, "ordering": "-published_at"})
    assert sum(visited, []) == [a.pk for a in newest_first]
    backwards = []
    last = client.get("/api/articles/", {"page_size": 4, "ordering": "-published_at"})
    while (body := last.json())["next"]:
        last = client.get(body["next"])
    for page in pages(client, last.request["PATH_INFO"] + "?" + last.request["QUERY_STRING"], link="previous"):
        backwards = page + backwards
    assert backwards == [a.pk for a in newest_first]


def test_rows_added_before_the_cursor_shift_nothing(client):
    [factories.ArticleFactory() for _ in range(4)]
    first = client.get("/api/articles/", {"page_size": 2}).json()
    factories.ArticleFactory()  # newest: it belongs on the first page, not the next one
    second = client.get(first["next"]).json()
    shown = {a["id"] for a in first["results"]} | {a["id"] for a in second["results"]}
    assert len(shown) == 4 and not second["next"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJwIjpbMSwyLDNdfQ", "eyJwIjpbIm5vdC1hLWRhdGUiLDFdfQ"])
def test_a_tampered_cursor_is_a_404(client, cursor):
    factories.ArticleFactory()
    response = client.get("/api/articles/", {"cursor": cursor, "ordering": "published_at"})
    assert response.status_code == 404
    assert response.json()["error"]["code"]
