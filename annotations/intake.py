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


def items_create_for_batch(*, batch: ImportBatch) -> dict[int, int]:
    """Create items for the articles of ``batch`` in every project whose intake matches.

    Returns {project id: items offered}. Idempotent: re-running adds nothing.
    """
    offered = {}
    for project in Project.objects.exclude(intake=Project.Intake.MANUAL):
        articles = project_intake_articles(project=project, articles=Article.objects.filter(import_batch=batch))
        offered[project.pk] = items_create(project=project, articles=articles.only("id").iterator(chunk_size=2000))
    return offered
