"""Each project's items per status, kept in step with the items (``ProjectItemCounts``).

Every write that creates items or changes an item's status moves the counts in its own
transaction, so a page reads one row where it would count a million items. Writes that bypass
these functions (a raw SQL fix, a restored backup) are squared by ``item_counts_recompute``
(``manage.py item_counts_recompute``).
"""

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from .models import Item, Project, ProjectItemCounts

STATUSES = tuple(Item.Status.values)


def item_counts_add(*, project_id: int, status: str, count: int) -> None:
    """Count ``count`` items more (fewer, if negative) in ``status`` for the project."""
    if count:
        _counts_update(project_id, **{status: F(status) + count})


def item_counts_remove(*, project_id: int, status: str) -> None:
    """Count one item fewer in ``status`` (a deleted item). Never creates the counts row: when
    the project itself is being deleted, its row went first."""
    ProjectItemCounts.objects.filter(pk=project_id).update(**{status: F(status) - 1})


def item_status_set(*, item: Item | int, status: str, **changes) -> str | None:
    """Set an item's status (and other ``changes`` of its row) and move its project's counts, in
    one transaction; locks the item's row. Returns the status it had (None: no such item)."""
    pk = getattr(item, "pk", item)
    with transaction.atomic():
        row = Item.objects.select_for_update().filter(pk=pk).values_list("status", "project_id").first()
        if row is None:
            return None
        before, project_id = row
        Item.objects.filter(pk=pk).update(status=status, **changes)
        item_counts_move(project_id=project_id, before=before, after=status)
    return before


def item_counts_move(*, project_id: int, before: str, after: str) -> None:
    """Move one item of the project from status ``before`` to ``after`` in its counts. For a
    caller that changed the item's status itself under the item's row lock, in the same
    transaction."""
    if before != after:
        _counts_update(project_id, **{before: F(before) - 1, after: F(after) + 1})


def item_counts_recompute(*, projects: QuerySet[Project] | None = None) -> int:
    """Count the items of ``projects`` (default: all) afresh and store the counts; returns how
    many projects' counts were wrong. Locks each counts row while it counts, so that no status
    change slips between the count and the write."""
    wrong = 0
    for project_id in (projects if projects is not None else Project.objects.all()).values_list("pk", flat=True):
        with transaction.atomic():
            _counts_update(project_id)
            stored = ProjectItemCounts.objects.select_for_update().filter(pk=project_id).values(*STATUSES).get()
            fresh = Item.objects.filter(project_id=project_id).aggregate(
                **{status: Count("pk", filter=Q(status=status)) for status in STATUSES})
            if fresh != stored:
                wrong += 1
                ProjectItemCounts.objects.filter(pk=project_id).update(**fresh)
    return wrong


def project_item_counts(*, project: Project | int) -> ProjectItemCounts:
    """The project's item counts (a row of zeros for a project without any yet)."""
    project_id = getattr(project, "pk", project)
    return (ProjectItemCounts.objects.filter(pk=project_id).first()
            or ProjectItemCounts(project_id=project_id))


def _counts_update(project_id: int, **changes) -> None:
    """Update the project's counts row, creating it first if the project has none yet."""
    rows = ProjectItemCounts.objects.filter(pk=project_id)
    if not changes:
        changes = {"open": F("open")}  # only make sure the row exists
    if not rows.update(**changes):
        ProjectItemCounts.objects.bulk_create([ProjectItemCounts(project_id=project_id)], ignore_conflicts=True)
        rows.update(**changes)
