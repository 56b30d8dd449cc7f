"""Row counts that do not scan big tables: the planner's estimate where an exact count would
read every matching row (PostgreSQL), the exact count where that is cheap."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows (as the planner estimates them) the exact count is cheap enough.
EXACT_BELOW = 10_000


def planner_rows(queryset: QuerySet) -> int | None:
    """How many rows the planner expects ``queryset`` to return (PostgreSQL), else None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return int(plan[0]["Plan"]["Plan Rows"])


def estimated_count(queryset: QuerySet) -> int:
    """The exact count of ``queryset`` when it is small, the planner's estimate when counting
    would scan many rows. Reads one plan and counts at most EXACT_BELOW rows: statistics can be
    stale (rows deleted since the last ANALYZE), so a big estimate is believed only once that
    many rows are there."""
    estimate = planner_rows(queryset)
    if estimate is not None and estimate >= EXACT_BELOW:
        counted = queryset.order_by()[:EXACT_BELOW].count()
        return estimate if counted >= EXACT_BELOW else counted
    return queryset.count()


class EstimatedCountPaginator(Paginator):
    """The admin's paginator for big tables: page links from an estimated count."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return estimated_count(self.object_list)
        return super().count


class BigTableAdminMixin:
    """Changelists of tables that grow with the corpus: no full count beside the filtered one,
    and counts estimated once they are big (the last page may then be short or missing)."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
