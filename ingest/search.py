"""Search vectors, built off the import path.

An import stores articles only; a Celery job queued once the batch is done builds their search
vectors (``ArticleSearch``) in chunks, each its own transaction, and counts them on the batch
(``search_indexed_count``), so the lag is visible: a batch's ``search_pending`` articles are not
found by text search yet. A periodic sweep builds whatever a lost message left behind.
PostgreSQL stores real vectors (title weighted above body); other databases store an empty row
(the embedded demo searches title and body directly) so the counters mean the same everywhere.
"""

import logging
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet

from newsroom.queueing import enqueue

from .models import Article, ArticleSearch, ImportBatch

logger = logging.getLogger(__name__)

# The text search configuration of every vector and query: English stemming and stop words.
SEARCH_CONFIG = "english"
ARTICLES = Article._meta.db_table
VECTORS = ArticleSearch._meta.db_table
# The GIN index over the vectors (created by migration 0009).
VECTOR_INDEX = "ingest_articlesearch_vector_idx"
# One statement builds and stores a chunk's vectors, and says which batches they belong to.
_BUILD_SQL = f"""
WITH built AS (
    INSERT INTO {VECTORS} (article_id, vector)
    SELECT id, setweight(to_tsvector(%(config)s::regconfig, title), 'A')
               || setweight(to_tsvector(%(config)s::regconfig, body), 'D')
    FROM {ARTICLES} WHERE id = ANY(%(ids)s)
    ON CONFLICT (article_id) DO NOTHING
    RETURNING article_id
)
SELECT article.import_batch_id FROM built JOIN {ARTICLES} article ON article.id = built.article_id
"""


def search_vectors_pending(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The subset of ``articles`` whose search vector is not built yet."""
    return articles.filter(search__isnull=True)


def search_vectors_store(*, article_ids: list[int]) -> int:
    """Build and store the vectors of these articles (those that have none) in one transaction,
    counting them on their import batches. Returns how many were built. Idempotent."""
    with transaction.atomic():
        batches = Counter(_insert_vectors(article_ids))
        for batch_id, built in batches.items():
            if batch_id is not None:
                ImportBatch.objects.filter(pk=batch_id).update(
                    search_indexed_count=F("search_indexed_count") + built)
    return sum(batches.values())


def _insert_vectors(article_ids: list[int]) -> list[int | None]:
    """Insert the missing vectors; the import batch of each article that got one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_BUILD_SQL, {"config": SEARCH_CONFIG, "ids": list(article_ids)})
            return [batch_id for (batch_id,) in cursor.fetchall()]
    missing = search_vectors_pending(Article.objects.filter(pk__in=article_ids)).values_list("pk", "import_batch_id")
    missing = list(missing)
    ArticleSearch.objects.bulk_create([ArticleSearch(article_id=pk) for pk, _ in missing], ignore_conflicts=True)
    return [batch_id for _, batch_id in missing]


def search_vectors_build(*, articles: QuerySet[Article]) -> int:
    """Build the vectors of every article of ``articles`` that has none, a chunk
    (SEARCH_BUILD_CHUNK) per transaction. Returns how many were built. Idempotent."""
    built = 0
    pending = search_vectors_pending(articles).order_by("pk").values_list("pk", flat=True)
    after = 0
    while ids := list(pending.filter(pk__gt=after)[:settings.SEARCH_BUILD_CHUNK]):
        built += search_vectors_store(article_ids=ids)
        after = ids[-1]
    if built:
        _merge_pending_entries()
    return built


def _merge_pending_entries() -> None:
    """Move the GIN index's pending entries into the index proper, in bulk (PostgreSQL): new
    vectors are cheap to add to the pending list, but every search reads that list, and a long
    one makes the planner prefer reading the whole table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])


def import_batch_search_build(*, batch: ImportBatch) -> int:
    """Build the vectors of ``batch``'s articles; once the batch is over and none is left, its
    counter is squared with what it created (articles deleted meanwhile would otherwise stay
    pending). Returns how many were built. Idempotent."""
    built = search_vectors_build(articles=Article.objects.filter(import_batch=batch))
    ImportBatch.objects.filter(pk=batch.pk, status__in=[ImportBatch.Status.DONE, ImportBatch.Status.FAILED],
                               search_indexed_count__lt=F("created_count")).update(
        search_indexed_count=F("created_count"))
    return built


def import_batch_search_enqueue(*, batch: ImportBatch) -> bool:
    """Ask a worker to build the search vectors of ``batch``'s articles. False if the broker could
    not be reached: the sweep builds them later."""
    from .tasks import import_batch_search_build_task  # the task module imports the services

    return enqueue(import_batch_search_build_task, batch.pk)


def search_vectors_sweep() -> int:
    """Periodic: build the vectors a lost message left unbuilt. Looks only at batches whose
    counter says some are missing, and at articles that came with no batch, so that its cost
    follows what is missing, not the corpus. Returns how many were built. Idempotent."""
    built = 0
    behind = ImportBatch.objects.filter(search_indexed_count__lt=F("created_count")).exclude(
        status=ImportBatch.Status.PENDING)
    for batch in behind.order_by("pk"):
        built += import_batch_search_build(batch=batch)
    built += search_vectors_build(articles=Article.objects.filter(import_batch__isnull=True))
    if built:
        logger.info("Search sweep: built %d vectors that were missing", built)
    return built


def search_pending_count() -> int:
    """Articles of the import batches whose vectors are not built yet (the search lag), from the
    batches' counters: no count over the corpus."""
    behind = ImportBatch.objects.filter(search_indexed_count__lt=F("created_count"))
    return sum(created - indexed for created, indexed in behind.values_list("created_count", "search_indexed_count"))
