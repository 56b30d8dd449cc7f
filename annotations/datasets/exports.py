"""Reads for exports: a project's items as export records, filtered, in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from newsroom.errors import DomainError

from ..models import Annotation, AnnotationSpan, Gold, GoldSpan, Item, LabelOrigin, Project
from ..projects import project_topic_paths
from .formats import FORMATS, ExportRecord, Format, Labels, Span
from .formats.csv import FORMULAS_ESCAPE
from .formats.records import GOLD, source

# Items read per database round trip; prefetches run per chunk, so memory stays flat.
EXPORT_CHUNK_SIZE = 500


# Whose labels an export writes: the accepted gold, each annotator's latest labels (one record per
# item and annotator), or both (the gold record first, then the annotators', by username).
LABELS_GOLD, LABELS_ANNOTATIONS, LABELS_BOTH = "gold", "annotations", "both"
LABEL_SETS = (LABELS_GOLD, LABELS_ANNOTATIONS, LABELS_BOTH)


@dataclass(frozen=True, slots=True)
class ExportFilters:
    gold_only: bool = True
    include_annotations: bool = False
    source: int | None = None
    topic: int | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    items: tuple[int, ...] | None = None  # ids of the project's items to export; None: all of them
    min_agreement: float | None = None  # only items whose annotators agree at least this much (0 to 1)
    # Options of one format, kept here so that a release records everything it was built with.
    csv_formulas: str = FORMULAS_ESCAPE  # CSV: "escape" formula-like cells (default) or keep them "raw"
    labels: str = LABELS_GOLD  # one of LABEL_SETS: whose labels each record holds


# The keyword arguments a format takes, from an export's filters.
FORMAT_OPTIONS = {"csv": lambda filters: {"formulas": filters.csv_formulas},
                  "conll": lambda filters: {"labeler_column": filters.labels != LABELS_GOLD}}


class ExportRefused(DomainError):
    """A format asked for with filters it cannot honour."""

    code = "export_refused"


def exporter_for(*, export_format: str, filters: ExportFilters) -> Format:
    """A new instance of the format, with the filters' options for it.

    Raises ExportRefused for an unknown format or label set, and for a gold export of "every item"
    (gold_only False) with a format that leaves items without gold out (CoNLL, spaCy): refused,
    not quietly narrowed.
    """
    if export_format not in FORMATS:
        raise ExportRefused(f"Unknown export format {export_format!r}.", detail={"choices": sorted(FORMATS)})
    if filters.labels not in LABEL_SETS:
        raise ExportRefused(f"Unknown labels {filters.labels!r}.", detail={"choices": list(LABEL_SETS)})
    format_class = FORMATS[export_format]
    # Annotators' records always hold labels; only a gold export of every item would write items without.
    if not filters.gold_only and not format_class.every_item and filters.labels == LABELS_GOLD:
        able = sorted(name for name, candidate in FORMATS.items() if candidate.every_item)
        raise ExportRefused(
            f"The {export_format} export holds only items with gold (an item without gold would teach "
            f"\"no entities here\"), so it cannot export every item. Export every item as "
            f"{' or '.join(able)}, or only the items with gold as {export_format}.",
            detail={"export_format": export_format, "every_item_formats": able})
    return format_class(**FORMAT_OPTIONS.get(export_format, lambda _: {})(filters))


def export_items(*, project: Project, filters: ExportFilters) -> QuerySet[Item]:
    """The project's items an export with ``filters`` contains, oldest first."""
    items = Item.objects.filter(project=project).select_related("article__source").order_by("id")
    if filters.gold_only:
        items = items.filter(gold__status=Gold.Status.ACCEPTED)
    if filters.items is not None:
        items = items.filter(pk__in=filters.items)
    if filters.source:
        items = items.filter(article__source_id=filters.source)
    if filters.topic:
        gold = Gold.objects.filter(status=Gold.Status.ACCEPTED).with_topic(filters.topic)
        items = items.filter(Exists(gold.filter(item=OuterRef("pk"))))
    if filters.min_agreement is not None:
        items = items.filter(agreement__gte=filters.min_agreement)
    if filters.published_after:
        items = items.filter(article__published_at__gte=filters.published_after)
    if filters.published_before:
        items = items.filter(article__published_at__lt=filters.published_before)
    return items.distinct()


ARTICLE_FIELDS = ("id", "agreement", "article_id", "article__title", "article__body", "article__source__name", "article__url",
                  "article__published_at", "article__byline", "article__dateline", "article__language",
                  "article__tokens")
SPAN_FIELDS = ("start", "end", "label", "text", "sentiment", "origin", "sentiment_origin", "predictor",
               "predictor_version")


def export_records(*, project: Project, filters: ExportFilters) -> Iterator[ExportRecord]:
    """Export records of the project's items, streamed chunk by chunk.

    Reads plain rows (three or four queries per chunk of EXPORT_CHUNK_SIZE items), never
    model instances: building ORM objects for items, articles, gold and spans was most of
    the export's time.
    """
    topic_paths = project_topic_paths(project)
    rows = export_items(project=project, filters=filters).values_list(*ARTICLE_FIELDS)
    chunk = []
    for row in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK_SIZE:
            yield from _chunk_records(chunk, topic_paths, filters)
            chunk = []
    yield from _chunk_records(chunk, topic_paths, filters)


def selection_export_records(*, items: QuerySet[Item]) -> Iterator[ExportRecord]:
    """Export records (gold and every annotator's labels) of the chosen ``items``, project by
    project, each project's export filtered to them in the query."""
    chosen: dict[int, list[int]] = {}
    for item_id, project_id in items.order_by().values_list("pk", "project_id"):
        chosen.setdefault(project_id, []).append(item_id)
    for project in Project.objects.filter(pk__in=chosen).order_by("pk"):
        filters = ExportFilters(gold_only=False, include_annotations=True, items=tuple(chosen[project.pk]))
        yield from export_records(project=project, filters=filters)


def _chunk_records(rows: list[tuple], topic_paths: dict[int, str], filters: ExportFilters) -> Iterator[ExportRecord]:
    item_ids = [row[0] for row in rows]
    gold = _gold_by_item(item_ids, topic_paths) if filters.labels != LABELS_ANNOTATIONS else {}
    wanted = filters.include_annotations or filters.labels != LABELS_GOLD
    annotations = _annotations_by_item(item_ids, topic_paths) if wanted else {}
    for item_id, agreement, article_id, title, body, source_name, url, published_at, byline, dateline, language, \
            tokens in rows:
        record = ExportRecord(
            article_id=article_id, title=title, text=body, source=source_name or "", url=url,
            published_at=published_at.isoformat() if published_at else None, byline=byline, dateline=dateline,
            language=language, gold=gold.get(item_id),
            annotations=annotations.get(item_id, ()) if filters.include_annotations else (),
            agreement={"item": agreement} if filters.include_annotations and agreement is not None else None,
            tokens=tokens,
        )
        yield from _labelled(record, annotations.get(item_id, ()), filters.labels)


def _labelled(record: ExportRecord, annotations: tuple, labels: str) -> Iterator[ExportRecord]:
    """The records of one item for ``labels``: its gold record; or one per annotator (after the gold
    one for "both"). An item with none of the labels asked for is one record without labels."""
    if labels == LABELS_GOLD:
        yield record
        return
    sets = [(GOLD, record.gold)] if labels == LABELS_BOTH and record.gold is not None else []
    sets += list(annotations)
    if not sets:
        yield replace(record, gold=None, annotations=())
    for labeled_by, labels_of in sets:
        yield replace(record, gold=labels_of, labeled_by=labeled_by, annotations=())


def _gold_by_item(item_ids: list[int], topic_paths: dict[int, str]) -> dict[int, Labels]:
    """item id -> its accepted gold labels."""
    rows = Gold.objects.filter(item_id__in=item_ids, status=Gold.Status.ACCEPTED).values_list(
        "id", "item_id", "sentiment", "topics", "provenance")
    golds = {gold_id: (item_id, sentiment, topics, provenance)
             for gold_id, item_id, sentiment, topics, provenance in rows}
    spans = _spans(GoldSpan.objects.filter(gold_id__in=golds), "gold_id")
    return {item_id: _labels(sentiment, topics, provenance, spans.get(gold_id, ()), topic_paths)
            for gold_id, (item_id, sentiment, topics, provenance) in golds.items()}


def _annotations_by_item(item_ids: list[int], topic_paths: dict[int, str]) -> dict[int, tuple]:
    """item id -> ((annotator username, labels of their latest version), ...)."""
    current = Annotation.objects.filter(item_id__in=item_ids).current(item_ids=item_ids)
    rows = list(current.order_by("item_id", "annotator_id").values_list(
        "id", "item_id", "annotator__username", "sentiment", "topics", "provenance"))
    spans = _spans(AnnotationSpan.objects.filter(annotation_id__in=[row[0] for row in rows]), "annotation_id")
    by_item: dict[int, list] = {}
    for annotation_id, item_id, username, sentiment, topics, provenance in rows:
        labels = _labels(sentiment, topics, provenance, spans.get(annotation_id, ()), topic_paths)
        by_item.setdefault(item_id, []).append((username, labels))
    return {item_id: tuple(entries) for item_id, entries in by_item.items()}


def _spans(queryset, owner: str) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = {}
    for owner_id, start, end, label, text, sentiment, origin, sentiment_origin, predictor, version in (
            queryset.order_by(owner, "start", "end", "id").values_list(owner, *SPAN_FIELDS)):
        # An entity sentiment without a recorded origin was typed by a person (rows from before provenance).
        sentiment_origin = (sentiment_origin or LabelOrigin.PERSON) if sentiment else None
        spans.setdefault(owner_id, []).append(Span(
            start, end, label, text, sentiment or None, origin=origin or LabelOrigin.PERSON,
            sentiment_origin=sentiment_origin, predictor=predictor or None, predictor_version=version or None))
    return spans


def _labels(sentiment: str, topics: list[int], provenance: dict | None, spans,
            topic_paths: dict[int, str]) -> Labels:
    known = [topic for topic in topics if topic in topic_paths]
    return Labels(sentiment=sentiment or None, topics=tuple(topic_paths[topic] for topic in known), spans=tuple(spans),
                  provenance=_provenance(sentiment, known, provenance or {}, topic_paths))


def _provenance(sentiment: str, topics: list[int], stored: dict, topic_paths: dict[int, str]) -> dict:
    """The stored provenance of document labels ({"sentiment": SOURCE, "topics": {"<id>": SOURCE}}, a
    label missing there typed by a person) as an export writes it: complete, topics named by path."""
    by_topic = stored.get("topics") if isinstance(stored.get("topics"), dict) else {}
    return {
        "sentiment": _source(stored.get("sentiment")) if sentiment else None,
        "topics": [{"topic": topic_paths[topic], **_source(by_topic.get(str(topic)))} for topic in topics],
    }


def _source(value) -> dict:
    value = value if isinstance(value, dict) else {}
    return source(value.get("origin"), value.get("predictor"), value.get("version"))
