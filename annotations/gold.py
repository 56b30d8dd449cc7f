"""Writes of review: labels made gold (by a reviewer, by unanimous annotators, by an import),
and items sent back to their annotators."""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max, QuerySet

from newsroom.errors import DomainError

from .models import Annotation, Assignment, Gold, GoldSpan, GoldSplit, Item
from .projects import item_labels_check
from .queue import lease_end
from .validation import SpanInput


def _label_key(annotation: Annotation) -> tuple:
    spans = frozenset((s.start, s.end, s.label, s.sentiment) for s in annotation.spans.all())
    return annotation.sentiment, tuple(sorted(annotation.topics)), spans


def item_gold_if_unanimous(*, item: Item, reviewer=None) -> Gold | None:
    """Accept the annotators' labels as gold (origin "unanimous") when every annotator the
    project asks for has submitted and their current labels are the same, entity sentiment
    included. Returns the new gold; None when the item is gold already, someone has not
    submitted yet or the annotators disagree.

    Idempotent: an item already gold is left alone.
    """
    return _gold_if_unanimous(item, reviewer)[0]


def items_gold_if_unanimous(*, items: QuerySet[Item], reviewer) -> tuple[int, Counter]:
    """``item_gold_if_unanimous`` over ``items`` (a manager's bulk action): how many became
    gold, and why the others did not. Idempotent."""
    made, skipped = 0, Counter()
    for item in items.select_related("project"):
        gold, reason = _gold_if_unanimous(item, reviewer)
        if gold:
            made += 1
        else:
            skipped[reason] += 1
    return made, skipped


def _gold_if_unanimous(item: Item, reviewer) -> tuple[Gold | None, str | None]:
    latest = _submitted_annotations(item)
    reason = _unanimity_refusal(item, latest)
    if reason:
        return None, reason
    return gold_accept(item=item, reviewer=reviewer, annotation=latest[0], origin=Gold.Origin.UNANIMOUS), None


def _submitted_annotations(item: Item) -> list[Annotation]:
    """The current labels of each annotator whose assignment on ``item`` is submitted."""
    submitters = item.assignments.filter(status=Assignment.Status.SUBMITTED).values("annotator")
    return list(item.annotations.current().filter(annotator__in=submitters).prefetch_related("spans"))


def _unanimity_refusal(item: Item, latest: list[Annotation]) -> str | None:
    """Why ``latest`` cannot become unanimous gold, or None when it can."""
    if item.gold.filter(status=Gold.Status.ACCEPTED).exists():
        return "it is gold already"
    if not latest:
        return "nobody has labelled it"
    if len(latest) < item.project.overlap:
        return "not every annotator has submitted"
    if len({_label_key(annotation) for annotation in latest}) > 1:
        return "the annotators disagree"
    return None


def gold_accept(
    *, item: Item, reviewer, annotation: Annotation | None = None, sentiment: str = "",
    topics: Iterable[int] = (), spans: Iterable[SpanInput] = (), origin: str = Gold.Origin.REVIEW,
) -> Gold:
    """Make labels the item's gold: one annotator's ``annotation`` (with the provenance of its
    labels), or labels composed by the reviewer from parts. A previous gold is kept as superseded."""
    provenance = {}
    if annotation is not None:
        if annotation.item_id != item.pk:
            raise DomainError("That annotation belongs to another item.")
        sentiment, topics, provenance = annotation.sentiment, annotation.topics, annotation.provenance
        spans = [SpanInput(s.start, s.end, s.label, s.text, s.sentiment, origin=s.origin,
                           sentiment_origin=s.sentiment_origin, predictor=s.predictor,
                           predictor_version=s.predictor_version) for s in annotation.spans.all()]
    topics, spans = sorted(set(topics)), list(spans)
    item_labels_check(item=item, sentiment=sentiment, topics=topics, spans=spans)
    with transaction.atomic():
        # The item's row lock orders concurrent accepts, so each gets the next version.
        split = Item.objects.select_for_update().values_list("gold_split", flat=True).get(pk=item.pk)
        version = (item.gold.aggregate(latest=Max("version"))["latest"] or 0) + 1
        item.gold.filter(status=Gold.Status.ACCEPTED).update(status=Gold.Status.SUPERSEDED)
        gold = Gold.objects.create(item=item, version=version, reviewer=reviewer, based_on=annotation,
                                   sentiment=sentiment, topics=topics, provenance=provenance, origin=origin)
        if not split:  # decided once, with the item's first gold
            Item.objects.filter(pk=item.pk).update(gold_split=GoldSplit.for_item(item.pk))
        GoldSpan.objects.bulk_create([GoldSpan(gold=gold, start=s.start, end=s.end, label=s.label, text=s.text,
                                               sentiment=s.sentiment, origin=s.origin,
                                               sentiment_origin=s.sentiment_origin, predictor=s.predictor,
                                               predictor_version=s.predictor_version) for s in spans])
        Item.objects.filter(pk=item.pk).update(status=Item.Status.GOLD)
    return gold


def item_send_back(*, item: Item, reviewer) -> Item:
    """Return the item to its annotators for another pass: their assignments become
    active again with a fresh lease, and any gold is superseded."""
    with transaction.atomic():
        item.gold.filter(status=Gold.Status.ACCEPTED).update(status=Gold.Status.SUPERSEDED)
        reopened = item.assignments.filter(status=Assignment.Status.SUBMITTED).update(
            status=Assignment.Status.ACTIVE, leased_until=lease_end(item.project), submitted_at=None)
        Item.objects.filter(pk=item.pk).update(status=Item.Status.OPEN,
                                               submitted_count=F("submitted_count") - reopened)
    item.refresh_from_db()
    return item
