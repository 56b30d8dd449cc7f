"""Intake: which imported articles become items of which projects."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ingest.models import Article, ImportBatch

from .models import Item, Project


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
    """Add articles to a project as items; articles already in it are left alone (idempotent)."""
    items = [Item(project=project, article=article) for article in articles]
    created = Item.objects.bulk_create(items, ignore_conflicts=True, batch_size=1000)
    return len(created)


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
