"""Reads of the corpus."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from .bulk import array_literal
from .models import Article, ArticleSearch, ImportBatch, ImportRecord
from .search import SEARCH_CONFIG, VECTORS


def article_list() -> QuerySet[Article]:
    """Articles, newest first, with their source (lists never query per row)."""
    return Article.objects.select_related("source").defer("raw_text", "minhash", "removed_lines")


# A search first reads up to this many matching article ids through the full-text index alone;
# if no more match, the page is chosen among them. More match (a word in at least this share of
# a million articles): reading the articles newest first finds a page's matches within a few
# thousand rows. Either way a page costs about the same for a common word, a rare one or none,
# where one plan for all was either slow for rare words or for common ones.
SEARCH_IDS_UP_TO = 5_000
# The planner settings that make the id read go through the GIN index (a bitmap scan): left to
# itself, it may walk a table testing every vector, thinking the test nearly free.
GIN_ONLY = ("SET LOCAL enable_seqscan = off", "SET LOCAL enable_indexscan = off")
_MATCHING_IDS_SQL = (f"SELECT article_id FROM {VECTORS} "
                     "WHERE vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s) LIMIT %(limit)s")


def article_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """Articles matching ``query``, newest first (not ranked by relevance).

    PostgreSQL: full-text search with English stemming and web-search syntax ("a phrase",
    or, -word) over the stored search vectors (title weighted above body; GIN index). An
    article is found once the job after its import has built its vector (``ingest.search``);
    until then it counts in its batch's ``search_pending``. The matches are found in two steps
    (``article_search_ids``), so that any page of any search is read in milliseconds at a
    million articles. Elsewhere (the embedded SQLite demo): every word must appear in the
    title or the body, vectors or not.
    """
    if connection.vendor == "postgresql":
        ids = article_search_ids(query)
        if ids is not None:
            return articles.filter(pk__in=ids).order_by("-pk")
        return articles.filter(search_matches(query)).order_by("-pk")
    for word in query.split():
        articles = articles.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return articles.order_by("-pk")


def search_matches(query: str) -> Func:
    """Whether the article's vector matches ``query`` (PostgreSQL), a test for articles read
    newest first. The vector is a scalar subquery, never a join: a keyset page's bound on the id
    then starts the walk down the articles' primary key, where through a join the planner walks
    the vectors from the newest one, past every page before."""
    vector = Subquery(ArticleSearch.objects.filter(article=OuterRef("pk")).values("vector"))
    return Func(vector, search_query(query), arg_joiner=" @@ ", template="(%(expressions)s)",
                output_field=BooleanField())


def search_query(query: str):
    """``query`` as PostgreSQL full-text query (web-search syntax, English configuration)."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def article_search_ids(query: str, *, up_to: int | None = None) -> list[int] | None:
    """The ids of every article matching ``query`` (PostgreSQL), read through the GIN index
    alone; None if more than ``up_to`` (SEARCH_IDS_UP_TO) match (then testing the vectors in the
    page's order finds a page soon)."""
    ids = article_search_first_ids(query, up_to=up_to)
    return ids.ids if ids.complete else None


@dataclass(frozen=True)
class FirstMatches:
    """Ids of articles matching a search: all of them (``complete``), or the first ``up_to`` + 1
    the index gave, in no order, when more match."""

    ids: list[int]
    complete: bool


def article_search_first_ids(query: str, *, up_to: int | None = None) -> FirstMatches:
    """``article_search_ids``, keeping the ids read when there are too many: a lower bound for
    a count (``annotations.pages.items``) that then need not read the matches again."""
    up_to = SEARCH_IDS_UP_TO if up_to is None else up_to
    with through_search_index(), connection.cursor() as cursor:
        cursor.execute(_MATCHING_IDS_SQL, {"config": SEARCH_CONFIG, "query": query, "limit": up_to + 1})
        ids = [article_id for (article_id,) in cursor.fetchall()]
    return FirstMatches(ids, complete=len(ids) <= up_to)


def id_array(ids: list[int]) -> RawSQL:
    """``ids`` for an ``__in`` lookup (PostgreSQL) as one array unnested: planned in a millisecond,
    where a list of thousands of values takes tens (the planner estimates each one)."""
    return RawSQL("SELECT unnest(%s::bigint[])", [array_literal(ids)])


@contextmanager
def through_search_index():
    """Reads inside are planned through the indexes' bitmaps (GIN_ONLY): a text search then
    starts from the full-text index. For reads only: the settings are local to a savepoint
    rolled back at the end, so they end with it even inside a longer transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in GIN_ONLY:
            cursor.execute(setting)
        yield
        transaction.set_rollback(True)


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
