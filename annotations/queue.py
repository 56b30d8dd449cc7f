"""The next-item queue: each article to as many distinct annotators as the project asks.

An item is handed out while fewer than ``overlap`` assignments are active, queued or
submitted; never twice to one person (a unique constraint backs this); abandoned leases
expire and return the item to the pool. An annotator holds one active item per project
(a partial unique constraint backs this, so two tabs or a double click asking at once get the
same item); what a manager gives them or a reviewer sends back meanwhile waits, queued, and
comes next. New items come in the project's order (``queue_order``: oldest first, or the live
model's most uncertain first with a share at random). Candidate rows are locked with ``SELECT ... FOR UPDATE SKIP
LOCKED`` where the database supports it, so concurrent annotators never wait on or
collide over the same row; SQLite ignores row locks, but there every transaction takes the
database's write lock when it begins (``transaction_mode`` IMMEDIATE in the settings), so a
claim's read and write are never interleaved with another's.
"""

import time
from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from .models import Assignment, Item, Membership, Project
from .queue_order import candidate_orders

# Attempts before giving up when candidates exist but are all locked or filled meanwhile.
MAX_ATTEMPTS = 20
# Pause between attempts (grows linearly): a row is locked only while one assignment is written.
LOCKED_RETRY_PAUSE_S = 0.005
# Assignments that hold a place on their item for their annotator, being worked on or waiting.
HELD = (Assignment.Status.ACTIVE, Assignment.Status.QUEUED)


def assignment_claim_next(*, project: Project, annotator) -> Assignment | None:
    """The annotator's current assignment in ``project``, or the next one: the oldest queued
    for them, else a new one on the next item.

    Returns None when nothing is left for this annotator. Expires stale leases of the
    project first, so abandoned work goes back to the pool. Parallel calls by one annotator
    return the same assignment: they take turns on the annotator's lock, and the database
    refuses a second active one.
    """
    assignments_expire(project=project)
    for attempt in range(MAX_ATTEMPTS):
        try:
            claimed, candidate_seen = _claim(project, annotator)
        except IntegrityError:
            # A manager's assignment or a send-back made one of theirs active meanwhile (they
            # do not take the annotator's lock): the whole claim rolled back, counters included;
            # the next attempt finds that one.
            continue
        if claimed:
            return claimed
        if not candidate_seen:
            if not _candidates(project, annotator).exists():
                return None  # truly nothing left for this annotator
            time.sleep(LOCKED_RETRY_PAUSE_S * (attempt + 1))  # every candidate is being assigned right now
    return None


def _claim(project: Project, annotator) -> tuple[Assignment | None, bool]:
    """One locked attempt: the annotator's held assignment (made active), else a new one on the
    first free candidate. Returns it and whether a candidate was found (False: all locked or none)."""
    with transaction.atomic():
        # Two clicks on "next" at once must not both find nothing held and take two items.
        _lock_annotator(annotator)
        held = _held(project, annotator)
        if held is not None:
            return _activated(held, project), True
        item = _lock_candidate(project, annotator, claims=_claims(project, annotator))
        if item is None:
            return None, False
        return _assign(item, annotator, project), True


# The annotator's active assignment comes first (there is at most one), then their oldest queued.
ACTIVE_FIRST = Case(When(status=Assignment.Status.ACTIVE, then=Value(0)), default=Value(1))


def _held(project: Project, annotator) -> Assignment | None:
    """The assignment the annotator holds in ``project`` and should see now, with its article."""
    return (Assignment.objects.select_related("item__article__source")
            .filter(project=project, annotator=annotator, status__in=HELD).order_by(ACTIVE_FIRST, "id").first())


def _activated(assignment: Assignment, project: Project) -> Assignment:
    """A queued assignment becomes active with a fresh lease (an active one is returned as it is).
    Raises IntegrityError if another became active meanwhile (the caller tries again)."""
    if assignment.status == Assignment.Status.QUEUED:
        assignment.status, assignment.leased_until = Assignment.Status.ACTIVE, lease_end(project)
        Assignment.objects.filter(pk=assignment.pk, status=Assignment.Status.QUEUED).update(
            status=assignment.status, leased_until=assignment.leased_until)
    return assignment


def _current(project: Project, annotator) -> Assignment | None:
    return Assignment.objects.filter(project=project, annotator=annotator, status=Assignment.Status.ACTIVE).first()


def _lock_annotator(annotator) -> None:
    """Serialise one annotator's claims (their user row; other annotators never wait on it).
    On SQLite the transaction itself already holds the write lock (IMMEDIATE, see settings)."""
    list(get_user_model().objects.select_for_update().filter(pk=annotator.pk).values_list("pk"))


def _candidates(project: Project, annotator):
    """Open items with a place left that the annotator never had, in no particular order."""
    # Whether they had it is looked up per candidate in the (item, annotator) unique index, by a
    # scalar subquery: written as NOT EXISTS, PostgreSQL planned an anti-join that merged the
    # candidates with the assignments in item order, reading every one on the items done before
    # the first open item (a cost that grew with the project's progress).
    had = Assignment.objects.filter(item=OuterRef("pk"), annotator=annotator).order_by().values("pk")[:1]
    return (Item.objects.filter(project=project, status=Item.Status.OPEN, assigned_count__lt=project.overlap)
            .alias(had=Subquery(had)).filter(had__isnull=True))


def _claims(project: Project, annotator) -> int | None:
    """How many items the annotator has had in ``project``, where the queue's order needs it."""
    if project.queue_order != Project.QueueOrder.UNCERTAINTY:
        return None
    return Assignment.objects.filter(project=project, annotator=annotator).count()


def _lock_candidate(project: Project, annotator, *, claims: int | None = None) -> Item | None:
    """The first open item for this annotator, in the project's order, that no one else is
    assigning right now."""
    # The article comes along: the caller shows it, and the lock covers only the item row.
    candidates = _candidates(project, annotator).select_related("article__source")
    for queryset in candidate_orders(candidates, project=project, annotator_id=annotator.pk, claims=claims):
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        item = queryset.first()
        if item is not None:
            return item
    return None


def _assign(item: Item, annotator, project: Project, status=Assignment.Status.ACTIVE) -> Assignment | None:
    """A new assignment of ``item``, counted on the item; None if the item filled up meanwhile.
    Raises IntegrityError if they had the item already or hold another active one: the caller's
    transaction is then rolled back whole, the count with it."""
    # Conditional update: the count can only pass overlap if another transaction raced us,
    # and then this update matches no row.
    taken = Item.objects.filter(pk=item.pk, assigned_count__lt=project.overlap).update(
        assigned_count=F("assigned_count") + 1)
    if not taken:
        return None
    return Assignment.objects.create(item=item, project=project, annotator=annotator, status=status,
                                     leased_until=lease_end(project))


def lease_end(project: Project):
    return timezone.now() + timedelta(minutes=project.lease_minutes)


def assignments_expire(*, project: Project | None = None) -> int:
    """Expire active assignments whose lease has run out; their items need someone else.

    Idempotent: an assignment expires once (conditional update). Returns how many expired.
    """
    stale = Assignment.objects.filter(status=Assignment.Status.ACTIVE, leased_until__lt=timezone.now())
    if project is not None:
        stale = stale.filter(project=project)
    batch = stale.values_list("id", "item_id")[:1000]
    return sum(_expire(assignment_id, item_id) for assignment_id, item_id in batch)


def _expire(assignment_id: int, item_id: int) -> bool:
    """Expire one active or queued assignment and free its place on the item; False if it was
    neither."""
    with transaction.atomic():
        if not Assignment.objects.filter(pk=assignment_id, status__in=HELD).update(
                status=Assignment.Status.EXPIRED):
            return False
        Item.objects.filter(pk=item_id).update(assigned_count=F("assigned_count") - 1)
    return True


def assignment_lease_renew(*, assignment: Assignment) -> Assignment:
    """Extend the lease of an active assignment (the annotator is still working)."""
    Assignment.objects.filter(pk=assignment.pk, status=Assignment.Status.ACTIVE).update(
        leased_until=lease_end(assignment.item.project))
    assignment.refresh_from_db()
    return assignment


def assignment_skip(*, assignment: Assignment, reason: str) -> Assignment:
    """The annotator passes on the item; it goes back to the pool for others (never to them)."""
    with transaction.atomic():
        if Assignment.objects.filter(pk=assignment.pk, status__in=HELD).update(
                status=Assignment.Status.SKIPPED, skip_reason=reason[:500]):
            Item.objects.filter(pk=assignment.item_id).update(assigned_count=F("assigned_count") - 1)
    assignment.refresh_from_db()
    return assignment


def assignments_release(*, project: Project, annotator) -> int:
    """Return the annotator's active and queued items in ``project`` to the pool (e.g. they left the project)."""
    held = Assignment.objects.filter(project=project, annotator=annotator, status__in=HELD)
    return sum(_expire(assignment_id, item_id) for assignment_id, item_id in held.values_list("id", "item_id"))


# --- a manager's assignments, outside the queue's order ----------------------------

def assignment_create(*, item: Item, annotator) -> Assignment | None:
    """Give ``item`` to ``annotator`` now, as the queue would: an active assignment with a
    fresh lease (queued behind their active one, if they hold one in the project), never
    beyond the project's overlap, never twice to one annotator.

    Locks the item row (waiting for a concurrent claim of it, where the queue would skip it),
    so the item cannot close or fill up between the check and the assignment. Returns None
    when the item is not open, already has ``overlap`` annotators, or the annotator had it
    before (whatever became of that assignment); so a repeated call assigns nothing more.
    """
    project = item.project
    with transaction.atomic():
        # Their claims wait meanwhile (annotator first, then the item, as a claim takes them).
        _lock_annotator(annotator)
        locked = Item.objects.select_for_update().filter(pk=item.pk, status=Item.Status.OPEN).first()
        if locked is None or Assignment.objects.filter(item=locked, annotator=annotator).exists():
            return None
        if _current(project, annotator) is None:
            try:
                with transaction.atomic():
                    return _assign(locked, annotator, project)
            except IntegrityError:  # a send-back made another of theirs active a moment ago
                pass
        # They are at work on another item of the project: this one waits.
        return _assign(locked, annotator, project, status=Assignment.Status.QUEUED)


def items_assign(*, items: QuerySet[Item], annotator) -> tuple[int, Counter]:
    """Give each of ``items`` to ``annotator`` (a manager's bulk assignment) where they
    annotate its project. Returns how many were assigned and why the others were skipped.

    One transaction per item; safe to re-run (what they already have is skipped).
    """
    annotates = set(Membership.objects.filter(user=annotator, role=Membership.Role.ANNOTATOR)
                    .values_list("project", flat=True))
    assigned, skipped = 0, Counter()
    for item in items.select_related("project"):
        if item.project_id not in annotates:
            skipped["they do not annotate its project"] += 1
        elif assignment_create(item=item, annotator=annotator):
            assigned += 1
        else:
            skipped[_refusal(item, annotator)] += 1
    return assigned, skipped


def _refusal(item: Item, annotator) -> str:
    # Read after assignment_create said no, for the manager's message only: the decision
    # itself was taken under the row lock.
    item.refresh_from_db(fields=["status"])
    if item.status != Item.Status.OPEN:
        return "it is not open for annotation"
    if item.assignments.filter(annotator=annotator).exists():
        return "they had it already"
    return "it has as many annotators as the project asks for"
