"""Reads for exports: a project's items as export records, filtered, in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from .export import ExportRecord, Labels, Span
from .models import Annotation, Gold, Item, Project, Topic

# Items read per database round trip; prefetches run per chunk, so memory stays flat.
EXPORT_CHUNK_SIZE = 500


@dataclass(frozen=True, slots=True)
class ExportFilters:
    gold_only: bool = True
    include_annotations: bool = False
    source: int | None = None
    topic: int | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None


def export_items(*, project: Project, filters: ExportFilters) -> QuerySet[Item]:
    """The project's items an export with ``filters`` contains, oldest first."""
    items = Item.objects.filter(project=project).select_related("article__source").order_by("id")
    if filters.gold_only:
        items = items.filter(gold__status=Gold.Status.ACCEPTED)
    if filters.source:
        items = items.filter(article__source_id=filters.source)
    if filters.published_after:
        items = items.filter(article__published_at__gte=filters.published_after)
    if filters.published_before:
        items = items.filter(article__published_at__lt=filters.published_before)
    return items.distinct()


def export_records(*, project: Project, filters: ExportFilters) -> Iterator[ExportRecord]:
    """Export records of the project's items, streamed chunk by chunk."""
    topic_paths = _topic_paths(project)
    prefetches = [Prefetch("gold", queryset=Gold.objects.filter(status=Gold.Status.ACCEPTED)
                           .prefetch_related("spans"), to_attr="accepted_gold")]
    if filters.include_annotations:
        prefetches.append(Prefetch("annotations", queryset=Annotation.objects.order_by("annotator_id", "-version")
                                   .select_related("annotator").prefetch_related("spans"), to_attr="all_annotations"))
    items = export_items(project=project, filters=filters).prefetch_related(*prefetches)
    for item in items.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        # Topics live in a JSON list; filtering here keeps the query portable.
        if filters.topic and not (item.accepted_gold and filters.topic in item.accepted_gold[0].topics):
            continue
        yield _record(item, topic_paths, filters.include_annotations)


def _record(item: Item, topic_paths: dict[int, str], with_annotations: bool) -> ExportRecord:
    article = item.article
    gold = item.accepted_gold[0] if item.accepted_gold else None
    return ExportRecord(
        article_id=article.pk, title=article.title, text=article.body,
        source=article.source.name if article.source else "", url=article.url,
        published_at=article.published_at.isoformat() if article.published_at else None,
        byline=article.byline, dateline=article.dateline, language=article.language,
        gold=_labels(gold, topic_paths) if gold else None,
        annotations=_latest_annotations(item, topic_paths) if with_annotations else (),
    )


def _latest_annotations(item: Item, topic_paths: dict[int, str]) -> tuple:
    latest = {}
    for annotation in item.all_annotations:  # newest version first per annotator
        latest.setdefault(annotation.annotator_id, annotation)
    return tuple((a.annotator.get_username(), _labels(a, topic_paths)) for a in latest.values())


def _labels(labels: Gold | Annotation, topic_paths: dict[int, str]) -> Labels:
    spans = tuple(Span(s.start, s.end, s.label, s.text, s.sentiment or None) for s in labels.spans.all())
    topics = tuple(topic_paths[t] for t in labels.topics if t in topic_paths)
    return Labels(sentiment=labels.sentiment or None, topics=topics, spans=spans)


def _topic_paths(project: Project) -> dict[int, str]:
    """Topic id -> "Parent/Child" path."""
    topics = {t.pk: t for t in Topic.objects.filter(project=project)}

    def path(topic: Topic) -> str:
        return f"{path(topics[topic.parent_id])}/{topic.name}" if topic.parent_id in topics else topic.name

    return {pk: path(topic) for pk, topic in topics.items()}
