"""Article search pages newest first, whichever way it finds the matches: among the ids read
through the full-text index (few match), or by testing the newest articles (many match)."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from ingest import selectors
from ingest.models import Article
from ingest.selectors import article_search, article_search_ids
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def corpus():
    """Nine articles about the harbour among twelve, two of them about a lighthouse too."""
    articles = {}
    for n in range(12):
        words = ["harbour"] if n % 4 else ["council"]
        if n in (2, 7):
            words.append("lighthouse keeper")
        articles[n] = ArticleFactory(title=f"Story {n}", body=" ".join(words) + f" on day {n}.")
    return articles


@pytest.fixture
def client(manager):
    client = APIClient()
    client.force_authenticate(manager)
    return client


def paged(client, query: str) -> list[int]:
    """Every article id the API lists for ``query``, following its cursors two at a time."""
    seen, url = [], f"/api/articles/?q={query}&page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    return seen


def newest_first(articles) -> list[int]:
    return sorted((article.pk for article in articles), reverse=True)


@pytest.mark.parametrize("ids_up_to", [3, 5_000], ids=["many match", "few match"])
def test_a_search_pages_through_every_match_once_newest_first(corpus, client, monkeypatch, ids_up_to):
    monkeypatch.setattr(selectors, "SEARCH_IDS_UP_TO", ids_up_to)
    harbour = [article for n, article in corpus.items() if n % 4]
    assert paged(client, "harbour") == newest_first(harbour)
    assert paged(client, "lighthouse") == newest_first([corpus[7], corpus[2]])
    assert paged(client, "zeppelin") == []


@postgres_only
def test_the_ids_step_answers_none_beyond_its_limit(corpus):
    assert article_search_ids("harbour", up_to=9) is not None and article_search_ids("harbour", up_to=8) is None
    assert sorted(article_search_ids("lighthouse")) == [corpus[2].pk, corpus[7].pk]
    assert article_search_ids("zeppelin") == []


@postgres_only
def test_the_ids_step_leaves_the_planner_settings_as_they_were(corpus):
    with connection.cursor() as cursor:
        article_search_ids("harbour")
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")


@postgres_only
@pytest.mark.parametrize("ids_up_to", [1, 5_000], ids=["many match", "few match"])
def test_phrases_and_excluded_words_still_work(corpus, monkeypatch, ids_up_to):
    monkeypatch.setattr(selectors, "SEARCH_IDS_UP_TO", ids_up_to)

    def found(query):
        return list(article_search(Article.objects.all(), query).values_list("pk", flat=True))

    assert found('"lighthouse keeper"') == newest_first([corpus[2], corpus[7]])
    assert found('"keeper lighthouse"') == []
    assert found("harbour -lighthouse") == newest_first(a for n, a in corpus.items() if n % 4 and n not in (2, 7))
