"""Writes of review: labels made gold (by a reviewer, by unanimous annotators, by an import),
gold reopened for another review, and items sent back to their annotators with a note.

Gold is versioned per item: accepting makes the next version and supersedes the accepted
one; reopening marks the accepted version reopened (who, when, why) and returns the item to
review. At most one version is accepted at a time, and only that one is exported.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from newsroom.errors import Conflict, DomainError

from .agreement.reports import project_agreement_mark_stale
from .counters import item_status_set
from .models import Annotation, Assignment, Gold, GoldSpan, GoldSplit, Item, LabelOrigin, SendBack
from .projects import item_labels_check
from .queue import lease_end
from .review import disagreeing_parts, disagreements
from .selectors import annotations_for_review, review_versions
from .validation import SpanInput


def item_gold_if_unanimous(*, item: Item, reviewer=None) -> Gold | None:
    """Accept the annotators' labels as gold (origin "unanimous") when every annotator the
    project asks for has submitted and the review finds no disagreement at all (sentiment,
    topics, spans, entity sentiment: the rule the review page shows). Returns the new gold;
    None when the item is gold already, someone has not submitted yet or the annotators disagree.

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
    return list(annotations_for_review().filter(item=item, annotator__in=submitters))


def _unanimity_refusal(item: Item, latest: list[Annotation]) -> str | None:
    """Why ``latest`` cannot become unanimous gold, or None when it can."""
    if item.gold.filter(status=Gold.Status.ACCEPTED).exists():
        return "it is gold already"
    if not latest:
        return "nobody has labelled it"
    if len(latest) < item.project.overlap:
        return "not every annotator has submitted"
    if disagreeing_parts(disagreements(review_versions(latest))):
        return "the annotators disagree"
    return None


def gold_accept(
    *, item: Item, reviewer, annotation: Annotation | None = None, sentiment: str = "",
    topics: Iterable[int] = (), spans: Iterable[SpanInput] = (), origin: str = Gold.Origin.REVIEW,
    provenance: dict | None = None, note: str = "",
) -> Gold:
    """Make labels the item's gold, as its next version: one annotator's ``annotation``, or
    labels composed by the reviewer from parts. The accepted version before it is kept as
    superseded; the item becomes gold.

    Composed gold (origin "review") takes each label's provenance from the annotators'
    current labels (``composed_provenance``); other callers (imports) pass ``provenance``
    and spans' origins as they are to be kept. ``note`` is the reviewer's, kept with the version.
    """
    provenance = provenance or {}
    if annotation is not None:
        if annotation.item_id != item.pk:
            raise DomainError("That annotation belongs to another item.")
        sentiment, topics, provenance = annotation.sentiment, annotation.topics, annotation.provenance
        spans = [SpanInput(s.start, s.end, s.label, s.text, s.sentiment, origin=s.origin,
                           sentiment_origin=s.sentiment_origin, predictor=s.predictor,
                           predictor_version=s.predictor_version) for s in annotation.spans.all()]
    topics, spans = sorted(set(topics)), list(spans)
    if annotation is None and origin == Gold.Origin.REVIEW:
        provenance, spans = composed_provenance(item=item, sentiment=sentiment, topics=topics, spans=spans)
    item_labels_check(item=item, sentiment=sentiment, topics=topics, spans=spans)
    with transaction.atomic():
        # The item's row lock orders concurrent accepts, so each gets the next version.
        split = Item.objects.select_for_update().values_list("gold_split", flat=True).get(pk=item.pk)
        version = (item.gold.aggregate(latest=Max("version"))["latest"] or 0) + 1
        item.gold.filter(status=Gold.Status.ACCEPTED).update(status=Gold.Status.SUPERSEDED)
        gold = Gold.objects.create(item=item, version=version, reviewer=reviewer, based_on=annotation,
                                   sentiment=sentiment, topics=topics, origin=origin, provenance=provenance or {},
                                   note=note.strip())
        if not split:  # decided once, with the item's first gold
            Item.objects.filter(pk=item.pk).update(gold_split=GoldSplit.for_item(item.pk))
        GoldSpan.objects.bulk_create([GoldSpan(gold=gold, start=s.start, end=s.end, label=s.label, text=s.text,
                                               sentiment=s.sentiment, origin=s.origin,
                                               sentiment_origin=s.sentiment_origin, predictor=s.predictor,
                                               predictor_version=s.predictor_version) for s in spans])
        item_status_set(item=item, status=Item.Status.GOLD)
        project_agreement_mark_stale(project_id=item.project_id)
    return gold


# Where a label several annotators share came from: the most machine-made source they name
# wins, so that composed gold never looks more human than the labels it was composed from.
_SOURCE_RANK = {LabelOrigin.ACCEPTED: 0, LabelOrigin.CHANGED: 1, LabelOrigin.IMPORTED: 2, LabelOrigin.PERSON: 3}
_BY_REVIEWER = {"origin": LabelOrigin.PERSON}


def composed_provenance(*, item: Item, sentiment: str, topics: list[int],
                        spans: list[SpanInput]) -> tuple[dict, list[SpanInput]]:
    """The provenance of labels a reviewer composed for ``item``: each label's source is
    taken from the annotators' current labels that have the same label (same value; for a
    span, same offsets and label; for its entity sentiment, the same sentiment); a label no
    annotator has is "person", by the reviewer. Returns the document provenance and the spans
    with their origins set (whatever origins they came with are not trusted)."""
    current = list(item.annotations.current().prefetch_related("spans"))
    document = {}
    if sentiment:
        document["sentiment"] = _best_source(
            (a.provenance or {}).get("sentiment") for a in current if a.sentiment == sentiment)
    if topics:
        document["topics"] = {str(topic): _best_source(((a.provenance or {}).get("topics") or {}).get(str(topic))
                                                       for a in current if topic in a.topics) for topic in topics}
    marked = [s for a in current for s in a.spans.all()]
    return document, [_span_with_provenance(span, marked) for span in spans]


def _span_with_provenance(span: SpanInput, marked: list) -> SpanInput:
    same = [s for s in marked if (s.start, s.end, s.label) == (span.start, span.end, span.label)]
    source = min(same, key=lambda s: _rank(s.origin), default=None)
    toward = [s for s in same if span.sentiment and s.sentiment == span.sentiment]
    sentiment_source = min(toward, key=lambda s: _rank(s.sentiment_origin), default=None)
    if sentiment_source is not None:
        sentiment_origin = sentiment_source.sentiment_origin or LabelOrigin.PERSON
    else:  # a sentiment nobody gave is the reviewer's; no sentiment has no origin
        sentiment_origin = LabelOrigin.PERSON if span.sentiment else ""
    # One predictor per span: the span's, or else the one whose entity sentiment was taken.
    machine = next((s for s in (source, sentiment_source) if s is not None and s.predictor), None)
    return SpanInput(span.start, span.end, span.label, span.text, span.sentiment,
                     origin=source.origin if source else LabelOrigin.PERSON, sentiment_origin=sentiment_origin,
                     predictor=machine.predictor if machine else "",
                     predictor_version=machine.predictor_version if machine else "")


def _rank(origin: str) -> int:
    return _SOURCE_RANK.get(origin, _SOURCE_RANK[LabelOrigin.PERSON])


def _best_source(sources: Iterable[dict | None]) -> dict:
    """The most machine-made of the annotators' SOURCEs of one label; "person" without any."""
    known = [dict(source) for source in sources if source and source.get("origin")]
    return min(known, key=lambda source: _rank(source["origin"]), default=dict(_BY_REVIEWER))


def gold_reopen(*, item: Item, reviewer, reason: str) -> Gold:
    """Reopen the item's accepted gold for another review: the version becomes "reopened"
    with who, when and why, and the item awaits review again. Accepting gold afterwards
    makes the next version; exports leave the item out until then.

    Refused without a reason (400) or when the item has no accepted gold (409).
    """
    reason = _required(reason, field="reason", message="Say why the gold is reopened.")
    with transaction.atomic():
        _lock(item)
        reopened = _reopen_accepted(item, reviewer, reason)
        if reopened is None:
            raise Conflict("This item has no accepted gold to reopen.", detail={"status": item.status})
        item_status_set(item=item, status=Item.Status.ANNOTATED)
        project_agreement_mark_stale(project_id=item.project_id)
    item.status = Item.Status.ANNOTATED
    return reopened


def _reopen_accepted(item: Item, reviewer, reason: str) -> Gold | None:
    """Mark the item's accepted gold reopened; the version reopened, or None without one."""
    gold = item.gold.filter(status=Gold.Status.ACCEPTED).first()
    if gold is None:
        return None
    Gold.objects.filter(pk=gold.pk, status=Gold.Status.ACCEPTED).update(
        status=Gold.Status.REOPENED, reopened_by=reviewer, reopened_at=timezone.now(), reopen_reason=reason)
    gold.refresh_from_db()
    return gold


def item_send_back(*, item: Item, reviewer, note: str) -> Item:
    """Return the item to its annotators for another pass, with a ``note`` they see on the
    labeling page (stored as a SendBack): their assignments become active again with a fresh
    lease (queued behind the item an annotator is at work on), and accepted gold is reopened
    with the note as its reason. Refused without a note."""
    note = _required(note, field="note", message="Write the annotators a note: what should they look at again?")
    with transaction.atomic():
        _lock(item)
        SendBack.objects.create(item=item, reviewer=reviewer, note=note)
        _reopen_accepted(item, reviewer, f"Sent back to the annotators: {note}")
        reopened = [_reopen_assignment(assignment, item.project)
                    for assignment in item.assignments.filter(status=Assignment.Status.SUBMITTED)]
        item_status_set(item=item, status=Item.Status.OPEN, submitted_count=F("submitted_count") - len(reopened))
    item.refresh_from_db()
    return item


def _reopen_assignment(assignment: Assignment, project) -> str:
    """Give a submitted assignment back to its annotator: active with a fresh lease, or queued
    behind the item they are at work on (one active item per annotator and project)."""
    fields = {"leased_until": lease_end(project), "submitted_at": None}
    try:
        with transaction.atomic():
            Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.ACTIVE, **fields)
        return Assignment.Status.ACTIVE
    except IntegrityError:
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.QUEUED, **fields)
        return Assignment.Status.QUEUED


def _lock(item: Item) -> None:
    """Lock the item's row until the transaction ends: reviews of one item happen one at a time."""
    Item.objects.select_for_update().values_list("pk", flat=True).get(pk=item.pk)


def _required(text: str, *, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, detail={field: [message]})
    return text
