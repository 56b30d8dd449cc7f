"""Reactions to other apps' signals."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from ingest.models import Article
from ingest.selectors import import_batch_articles
from ingest.signals import batch_imported
from newsroom.errors import Conflict

from .intake import batch_project_offer, items_create_for_batch
from .models import Annotation, Gold, Item, PreannotationRun, Project
from .preannotation.runs import preannotation_enqueue


@receiver(batch_imported, dispatch_uid="annotations.items_for_imported_batch")
def items_for_imported_batch(sender, batch, **kwargs):
    """A finished import offers its articles to the projects whose intake rules match and to the
    project the import named (its duplicates of stored articles too), and their predictors are
    enqueued over the batch's items (in batches, missing ones only)."""
    offered = set(items_create_for_batch(batch=batch))
    if batch_project_offer(batch=batch) is not None:
        offered.add(batch.project_id)
    for project in Project.objects.filter(pk__in=offered, predictors__enabled=True).distinct():
        items = Item.objects.filter(project=project, article__in=import_batch_articles(batch=batch).values("pk"))
        preannotation_enqueue(project=project, items=items, trigger=PreannotationRun.Trigger.IMPORT,
                              skip_broken=True)


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
