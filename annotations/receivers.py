"""Reactions to other apps' signals."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from ingest.models import Article
from ingest.signals import articles_imported, batch_imported
from newsroom.db.statistics import tables_analyze
from newsroom.errors import Conflict

from .counters import item_counts_add, item_counts_remove
from .intake import articles_project_offer, items_create_for_articles
from .models import Annotation, Gold, Item, PreannotationRun, Project
from .preannotation.runs import preannotation_enqueue


@receiver(articles_imported, dispatch_uid="annotations.items_for_imported_articles")
def items_for_imported_articles(sender, batch, article_ids, **kwargs):
    """A committed chunk of an import offers its articles to the projects whose intake rules
    match and to the project the import named (duplicates of stored articles too), in the
    chunk's transaction; their predictors are enqueued over those items after the commit (in
    batches, missing predictions only)."""
    offered = {pk for pk, count in items_create_for_articles(article_ids=article_ids).items() if count}
    if articles_project_offer(batch=batch, article_ids=article_ids) is not None:
        offered.add(batch.project_id)
    for project in Project.objects.filter(pk__in=offered, predictors__enabled=True).distinct():
        items = Item.objects.filter(project=project, article_id__in=article_ids)
        preannotation_enqueue(project=project, items=items, trigger=PreannotationRun.Trigger.IMPORT,
                              skip_broken=True)


@receiver(batch_imported, dispatch_uid="annotations.analyze_items_after_import")
def analyze_items_after_import(sender, batch, **kwargs):
    """A big import filled the item tables of the projects that took its articles: refresh the
    planner's statistics once for the whole import (PostgreSQL), not per chunk."""
    tables_analyze(Item, rows_written=batch.processed_count)


@receiver(post_save, sender=Item, dispatch_uid="annotations.count_created_items")
def count_created_items(sender, instance, created, raw=False, **kwargs):
    """An item created one by one (``items_create`` counts the items it writes in bulk itself)."""
    if created and not raw:
        item_counts_add(project_id=instance.project_id, status=instance.status, count=1)


@receiver(post_delete, sender=Item, dispatch_uid="annotations.uncount_deleted_items")
def uncount_deleted_items(sender, instance, **kwargs):
    """A deleted item leaves its project's counts (a project's own deletion takes its counts along)."""
    item_counts_remove(project_id=instance.project_id, status=instance.status)


@receiver(pre_save, sender=Article, dispatch_uid="annotations.keep_labelled_bodies")
def keep_labelled_bodies(sender, instance, raw=False, **kwargs):
    """Every span offset points into Article.body: once an item on the article has an
    annotation or gold, the body must not change (ingest cannot know about labels, so the
    rule lives here). Bulk updates bypass signals; nothing in the product bulk-updates bodies."""
    if raw or instance.pk is None:
        return
    stored = Article.objects.filter(pk=instance.pk).values_list("body", flat=True).first()
    if stored is None or stored == instance.body:
        return
    labelled = (Annotation.objects.filter(item__article_id=instance.pk).exists()
                or Gold.objects.filter(item__article_id=instance.pk).exists())
    if labelled:
        raise Conflict("This article's text has labels pointing into it; its body cannot change.")
