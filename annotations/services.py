"""Writes of labeling: submitting annotations, reviewing them into gold."""

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from newsroom.errors import Conflict, DomainError

from .agreement.services import item_agreement_refresh
from .models import Annotation, AnnotationSpan, Assignment, Gold, GoldSpan, Item
from .preannotation.quality import suggestion_outcomes_record
from .projects import project_label_rules
from .queue import lease_end
from .validation import SpanInput, labels_validate


def _validated(item: Item, sentiment: str, topics: list[int], spans: list[SpanInput]) -> None:
    errors = labels_validate(body=item.article.body, rules=project_label_rules(item.project), sentiment=sentiment,
                             topics=topics, spans=spans)
    if errors:
        raise DomainError("The labels are not valid for this project and article.", detail=errors)


def annotation_current(*, item: Item, annotator) -> Annotation | None:
    return item.annotations.filter(annotator=annotator).order_by("-version").first()


def annotation_submit(
    *, item: Item, annotator, sentiment: str = "", topics: Iterable[int] = (), spans: Iterable[SpanInput] = (),
    base_version: int | None = None,
) -> Annotation:
    """Store a new version of the annotator's labels for ``item``.

    ``base_version`` is the version the edit started from (None for a first submit); if
    someone saved a newer one meanwhile, the submit is refused with Conflict (409), never
    silently overwritten. The first submit completes the annotator's assignment and
    records the lead time; once the item has ``overlap`` submits it awaits review, or
    becomes gold at once when the project allows unanimous gold and all agree.
    """
    topics, spans = sorted(set(topics)), list(spans)
    _validated(item, sentiment, topics, spans)
    with transaction.atomic():
        assignment = _owned_assignment(item, annotator)
        current = annotation_current(item=item, annotator=annotator)
        current_version = current.version if current else None
        if base_version != current_version:
            raise Conflict(f"Your labels are based on version {base_version}, but version {current_version} was "
                           "saved since. Reload the item to see it.", detail={"current_version": current_version})
        annotation = _create_annotation(item, annotator, assignment, current_version, sentiment, topics, spans)
        suggestion_outcomes_record(annotation=annotation, spans=spans)
        if assignment.status == Assignment.Status.ACTIVE:
            _complete(assignment, item)
        if item.submitted_count >= 2:
            item_agreement_refresh(item=item)
    return annotation


def _owned_assignment(item: Item, annotator) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(item=item, annotator=annotator).first()
    if assignment is None or assignment.status in (Assignment.Status.SKIPPED, Assignment.Status.EXPIRED):
        raise Conflict("This item is not assigned to you (the lease may have expired); ask for the next item.")
    return assignment


def _create_annotation(item, annotator, assignment, current_version, sentiment, topics, spans) -> Annotation:
    lead_ms = int((timezone.now() - assignment.created_at).total_seconds() * 1000)
    try:
        # No savepoint: on a clash the whole submit is refused and rolled back anyway.
        with transaction.atomic(savepoint=False):
            annotation = Annotation.objects.create(
                item=item, annotator=annotator, assignment=assignment, version=(current_version or 0) + 1,
                sentiment=sentiment, topics=topics, lead_time_ms=max(0, lead_ms))
    except IntegrityError:  # a concurrent submit took this version number first
        raise Conflict("Another save of your labels happened at the same time; reload the item.")
    AnnotationSpan.objects.bulk_create(
        [AnnotationSpan(annotation=annotation, start=s.start, end=s.end, label=s.label, text=s.text,
                        sentiment=s.sentiment) for s in spans])
    return annotation


def _complete(assignment: Assignment, item: Item) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED,
                                                      submitted_at=timezone.now())
    Item.objects.filter(pk=item.pk).update(submitted_count=F("submitted_count") + 1)
    # Only the counters: a full refresh would also drop the project the caller already loaded.
    item.submitted_count, item.status = Item.objects.values_list("submitted_count", "status").get(pk=item.pk)
    if item.submitted_count >= item.project.overlap and item.status == Item.Status.OPEN:
        Item.objects.filter(pk=item.pk).update(status=Item.Status.ANNOTATED)
        if item.project.auto_gold_unanimous:
            item_gold_if_unanimous(item=item)


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
    """Make labels the item's gold: one annotator's ``annotation``, or labels composed by
    the reviewer from parts. A previous gold is kept as superseded."""
    if annotation is not None:
        if annotation.item_id != item.pk:
            raise DomainError("That annotation belongs to another item.")
        sentiment, topics = annotation.sentiment, annotation.topics
        spans = [SpanInput(s.start, s.end, s.label, s.text, s.sentiment) for s in annotation.spans.all()]
    topics, spans = sorted(set(topics)), list(spans)
    _validated(item, sentiment, topics, spans)
    with transaction.atomic():
        item.gold.filter(status=Gold.Status.ACCEPTED).update(status=Gold.Status.SUPERSEDED)
        gold = Gold.objects.create(item=item, reviewer=reviewer, based_on=annotation, sentiment=sentiment,
                                   topics=topics, origin=origin)
        GoldSpan.objects.bulk_create([GoldSpan(gold=gold, start=s.start, end=s.end, label=s.label, text=s.text,
                                               sentiment=s.sentiment) for s in spans])
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
