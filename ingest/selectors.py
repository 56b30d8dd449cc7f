"""Reads of the corpus."""

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Article, ImportBatch


def article_list() -> QuerySet[Article]:
    """Articles, newest first, with their source (lists never query per row)."""
    return Article.objects.select_related("source").defer("raw_text", "minhash", "removed_lines")


# Must match the index expression of migration 0002.
SEARCH_CONFIG = "english"


def article_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Articles matching ``query``, best first.

    PostgreSQL: full-text search with English stemming and web-search syntax ("a phrase",
    or, -word) over title and body, served by a GIN index. Elsewhere (the embedded SQLite
    demo): every word must appear in the title or the body.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", "body", config=SEARCH_CONFIG)
        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (articles.annotate(search=vector).filter(search=search)
                .annotate(rank=SearchRank(vector, search)).order_by("-rank", "-id"))
    for word in query.split():
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles


def import_batch_list() -> QuerySet[ImportBatch]:
    """Import batches, newest first."""
    return ImportBatch.objects.select_related("created_by")
