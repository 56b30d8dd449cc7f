"""Reads of the corpus."""

from django.db import connection
from django.db.models import F, Q, QuerySet

from .models import Article, ImportBatch, ImportRecord
from .search import SEARCH_CONFIG


def article_list() -> QuerySet[Article]:
    """Articles, newest first, with their source (lists never query per row)."""
    return Article.objects.select_related("source").defer("raw_text", "minhash", "removed_lines")


def article_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Articles matching ``query``, best first.

    PostgreSQL: full-text search with English stemming and web-search syntax ("a phrase",
    or, -word) over the stored search vectors (title weighted above body; GIN index). An
    article is found once the job after its import has built its vector (``ingest.search``);
    until then it counts in its batch's ``search_pending``. Elsewhere (the embedded SQLite
    demo): every word must appear in the title or the body, vectors or not.
    """
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (articles.filter(search__vector=search)
                .annotate(rank=SearchRank(F("search__vector"), search)).order_by("-rank", "-id"))
    for word in query.split():
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles


def import_batch_list() -> QuerySet[ImportBatch]:
    """Import batches, newest first."""
    return ImportBatch.objects.select_related("created_by")


def import_batch_articles(*, batch: ImportBatch | int) -> QuerySet[Article]:
    """The articles a batch brought: those it created and the stored ones its duplicates matched."""
    matched = ImportRecord.objects.filter(batch=batch, outcome=ImportRecord.Outcome.DUPLICATE,
                                          article__isnull=False).values("article")
    return Article.objects.filter(Q(import_batch=batch) | Q(pk__in=matched))


def article_selection(*, ids=None, import_batch=None, source=None, query: str = "", published_after=None,
                      published_before=None) -> QuerySet[Article]:
    """The articles matching every criterion given: ids, an import batch (its duplicates too), a
    source, a search query (as ``article_search``), a publication date range [after, before)."""
    articles = Article.objects.all()
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    if import_batch is not None:
        articles = articles.filter(pk__in=import_batch_articles(batch=import_batch).values("pk"))
    if source is not None:
        articles = articles.filter(source=source)
    if published_after is not None:
        articles = articles.filter(published_at__gte=published_after)
    if published_before is not None:
        articles = articles.filter(published_at__lt=published_before)
    if query.strip():
        articles = article_search(articles, query)
    return articles
