"""Writes of labeling: annotators submitting their labels (gold is in ``gold``)."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from newsroom.errors import Conflict

from .agreement.reports import project_agreement_mark_stale
from .agreement.services import item_agreement_refresh
from .counters import item_counts_move
from .gold import item_gold_if_unanimous
from .models import Annotation, AnnotationSpan, Assignment, Item
from .preannotation.outcomes import suggestion_outcomes_record
from .preannotation.suggestions import item_suggestions, latest_predictions
from .projects import item_labels_check
from .provenance import DerivedLabels, Pending, labels_derive
from .validation import SpanInput


def annotation_current(*, item: Item, annotator) -> Annotation | None:
    return item.annotations.filter(annotator=annotator).order_by("-version").first()


def annotation_submit(
    *, item: Item, annotator, sentiment: str = "", topics: Iterable[int] = (), spans: Iterable[SpanInput] = (),
    base_version: int | None = None, rejected: Iterable[str] = (), pending: str = Pending.REFUSE,
) -> Annotation:
    """Store a new version of the annotator's labels for ``item``, each with its provenance.

    ``base_version`` is the version the edit started from (None for a first submit); if
    someone saved a newer one meanwhile, the submit is refused with Conflict (409), never
    silently overwritten. Against the suggestions the item offers (its newest predictions, as
    on the labeling page), every label is recorded as accepted, changed or typed by a person;
    ``rejected`` (suggestion keys) and the previous version's rejections are stored; every
    other suggestion still pending is refused (PendingSuggestions, 400, listing them) unless
    ``pending`` is "accept" or "reject" (see ``provenance``). What became of each suggestion
    is recorded per prediction (``SuggestionOutcome``).

    The first submit completes the annotator's assignment and records the lead time; once
    the item has ``overlap`` submits it awaits review, or becomes gold at once when the
    project allows unanimous gold and all agree. The project's stored agreement report is
    marked stale (its refresh enqueued after the commit, once for many submits).
    """
    topics, spans = sorted(set(topics)), list(spans)
    item_labels_check(item=item, sentiment=sentiment, topics=topics, spans=spans)
    predictions = latest_predictions(item_id=item.pk)
    offered = item_suggestions(item=item, predictions=predictions)
    with transaction.atomic():
        assignment = _owned_assignment(item, annotator)
        current = annotation_current(item=item, annotator=annotator)
        current_version = current.version if current else None
        if base_version != current_version:
            if _is_replay(current, base_version=base_version, sentiment=sentiment, topics=topics, spans=spans):
                return current  # the client's retry of a submit that saved but lost its answer
            raise Conflict(f"Your labels are based on version {base_version}, but version {current_version} was "
                           "saved since. Reload the item to see it.", detail={"current_version": current_version})
        labels = labels_derive(offered=offered, sentiment=sentiment, topics=topics, spans=spans,
                               rejected=rejected, previous_rejected=current.rejected_suggestions if current else (),
                               pending=pending, allow_overlapping_spans=item.project.allow_overlapping_spans)
        annotation = _create_annotation(item, annotator, assignment, current_version, labels)
        suggestion_outcomes_record(annotation=annotation, predictions=predictions, offered=offered,
                                   fates=labels.fates)
        if assignment.status in (Assignment.Status.ACTIVE, Assignment.Status.QUEUED):
            _complete(assignment, item)
        if item.submitted_count >= 2:
            item_agreement_refresh(item=item)
        project_agreement_mark_stale(project_id=item.project_id)
    return annotation


def _is_replay(current: Annotation | None, *, base_version, sentiment, topics, spans) -> bool:
    """Whether the caller's newest annotation is exactly this submit, saved already: the same
    labels, one version past the one the edit started from. A submit whose answer was lost (a
    dropped connection, a timeout) is then safe to send again."""
    if current is None or current.version != (base_version or 0) + 1:
        return False
    stored = {(span.start, span.end, span.label) for span in current.spans.all()}
    return (current.sentiment == sentiment and sorted(current.topics) == sorted(topics)
            and stored == {(span.start, span.end, span.label) for span in spans})


def _owned_assignment(item: Item, annotator) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(item=item, annotator=annotator).first()
    if assignment is None or assignment.status in (Assignment.Status.SKIPPED, Assignment.Status.EXPIRED):
        raise Conflict("This item is not assigned to you (the lease may have expired); ask for the next item.")
    return assignment


def _create_annotation(item, annotator, assignment, current_version, labels: DerivedLabels) -> Annotation:
    lead_ms = int((timezone.now() - assignment.created_at).total_seconds() * 1000)
    try:
        # No savepoint: on a clash the whole submit is refused and rolled back anyway.
        with transaction.atomic(savepoint=False):
            annotation = Annotation.objects.create(
                item=item, annotator=annotator, assignment=assignment, version=(current_version or 0) + 1,
                sentiment=labels.sentiment, topics=labels.topics, provenance=labels.provenance,
                rejected_suggestions=labels.rejected, lead_time_ms=max(0, lead_ms))
    except IntegrityError:  # a concurrent submit took this version number first
        raise Conflict("Another save of your labels happened at the same time; reload the item.")
    created = AnnotationSpan.objects.bulk_create(
        [AnnotationSpan(annotation=annotation, start=s.start, end=s.end, label=s.label, text=s.text,
                        sentiment=s.sentiment, origin=s.origin, sentiment_origin=s.sentiment_origin,
                        predictor=s.predictor, predictor_version=s.predictor_version) for s in labels.spans])
    _spans_known(annotation, created)
    return annotation


def _spans_known(annotation: Annotation, spans: list[AnnotationSpan]) -> None:
    """Keep the spans just written as the annotation's prefetched spans (in their model's order),
    as ``prefetch_related`` would: the answer shows them without reading them back."""
    known = annotation.spans.all()
    known._result_cache, known._prefetch_done = sorted(spans, key=lambda span: (span.start, span.end)), True
    annotation._prefetched_objects_cache = {"spans": known}


def _complete(assignment: Assignment, item: Item) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED,
                                                      submitted_at=timezone.now())
    # The item's row is locked while its counters are read and written: concurrent submits of
    # one item take turns, so exactly one of them sees the count reach the overlap.
    submitted, status = Item.objects.select_for_update().values_list("submitted_count", "status").get(pk=item.pk)
    item.submitted_count = submitted + 1
    annotated = item.submitted_count >= item.project.overlap and status == Item.Status.OPEN
    item.status = Item.Status.ANNOTATED if annotated else status
    # Only the counters: a full save would also write the fields the caller loaded long ago.
    Item.objects.filter(pk=item.pk).update(submitted_count=item.submitted_count, status=item.status)
    if annotated:  # the project's counts by status move with it, under the same lock
        item_counts_move(project_id=item.project_id, before=status, after=item.status)
    if annotated and item.project.auto_gold_unanimous:
        item_gold_if_unanimous(item=item)
