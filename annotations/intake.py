"""Intake: which imported articles become items of which projects, and articles added to a
project by hand (by ids, import batch, source, search or dates)."""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import Q, QuerySet

from ingest.models import Article, ImportBatch
from ingest.selectors import import_batch_articles
from newsroom.db.statistics import tables_analyze

from .counters import item_counts_add
from .models import Item, Project

# Items written per statement (and counted per pair of index look-ups).
ITEMS_PER_INSERT = 1000


def project_intake_articles(*, project: Project, articles: QuerySet[Article]) -> QuerySet[Article]:
    """The subset of ``articles`` that ``project``'s intake rules accept."""
    intake = Project.Intake
    if project.intake == intake.ALL:
        return articles
    if project.intake == intake.SOURCES:
        return articles.filter(source__in=project.intake_sources.all())
    if project.intake == intake.BATCHES:
        return articles.filter(import_batch__in=project.intake_batches.all())
    if project.intake == intake.KEYWORDS and project.intake_keywords:
        query = Q()
        for keyword in project.intake_keywords:
            query |= Q(title__icontains=keyword) | Q(body__icontains=keyword)
        return articles.filter(query)
    return articles.none()


def items_create(*, project: Project, articles: Iterable[Article]) -> int:
    """Add articles to a project as items, counting them in the project's item counts; articles
    already in it are left alone (idempotent). Returns how many items were created."""
    created = 0
    with transaction.atomic():
        ids = (article.pk for article in articles)
        while chunk := list(islice(ids, ITEMS_PER_INSERT)):
            present = Item.objects.filter(project=project, article_id__in=chunk)
            before = present.count()
            Item.objects.bulk_create([Item(project=project, article_id=pk) for pk in chunk], ignore_conflicts=True)
            created += present.count() - before
        item_counts_add(project_id=project.pk, status=Item.Status.OPEN, count=created)
    return created


def items_create_for_articles(*, article_ids: Iterable[int]) -> dict[int, int]:
    """Offer these articles to every project whose intake matches: items for those not in it yet.

    Returns {project id: articles offered}. Idempotent: articles already in a project are left alone.
    """
    return _offer(Article.objects.filter(pk__in=list(article_ids)))


def items_create_for_batch(*, batch: ImportBatch) -> dict[int, int]:
    """Offer the articles of ``batch`` to every project whose intake matches (idempotent)."""
    return _offer(Article.objects.filter(import_batch=batch))


def _offer(articles: QuerySet[Article]) -> dict[int, int]:
    offered = {}
    for project in Project.objects.exclude(intake=Project.Intake.MANUAL):
        matching = project_intake_articles(project=project, articles=articles)
        offered[project.pk] = items_create(project=project, articles=matching.only("id").iterator(chunk_size=2000))
    return offered


@dataclass(frozen=True)
class ArticlesAdded:
    """What adding articles to a project did: items created, and articles that were items already."""

    added: int
    already_present: int

    @property
    def matched(self) -> int:
        return self.added + self.already_present


def project_articles_add(*, project: Project, articles: QuerySet[Article]) -> ArticlesAdded:
    """Make each of ``articles`` an item of ``project`` (whatever its intake rules say), then,
    when that made many items, refresh the planner's statistics of the items (PostgreSQL).
    Idempotent: an article that is an item already is counted, not added again."""
    result = _project_articles_add(project=project, articles=articles)
    tables_analyze(Item, rows_written=result.added)
    return result


def _project_articles_add(*, project: Project, articles: QuerySet[Article]) -> ArticlesAdded:
    selected = articles.order_by().values("pk")
    present = Item.objects.filter(project=project, article__in=selected).count()
    in_project = Item.objects.filter(project=project).values("article_id")
    missing = (Article.objects.filter(pk__in=selected).exclude(pk__in=in_project).order_by("pk")
               .values_list("pk", flat=True))
    added = items_create(project=project, articles=(Article(pk=pk) for pk in missing.iterator(chunk_size=2000)))
    return ArticlesAdded(added=added, already_present=present)


def batch_project_offer(*, batch: ImportBatch) -> ArticlesAdded | None:
    """Add every article of ``batch`` (new ones and the stored ones its duplicates matched) to the
    project the import named, if it named one that still exists. Idempotent."""
    project = _named_project(batch)
    if project is None:
        return None
    return project_articles_add(project=project, articles=import_batch_articles(batch=batch))


def articles_project_offer(*, batch: ImportBatch, article_ids: Iterable[int]) -> ArticlesAdded | None:
    """Add these articles (a committed chunk of ``batch``) to the project the import named, if it
    named one that still exists. Idempotent."""
    project = _named_project(batch)
    if project is None:
        return None
    # One chunk of an import: the import analyzes once at its end.
    return _project_articles_add(project=project, articles=Article.objects.filter(pk__in=list(article_ids)))


def _named_project(batch: ImportBatch) -> Project | None:
    return Project.objects.filter(pk=batch.project_id).first() if batch.project_id else None
