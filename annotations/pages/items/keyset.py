"""Keyset pages over a queryset ordered by (sort value, tie id), never OFFSET.

Rows are ordered by the sort value (ascending or descending) with rows without a value last,
then by a unique tie column in the same direction. The row without a value cannot be compared,
so a page is read from two segments in turn, each served by an index on (value, tie): the rows
with a value, then those without. A cursor is the (value, tie) of the row a page starts after
or ends before; it travels in the URL as url-safe base64 of JSON.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class Order:
    """How a list is sorted: ``value`` and ``tie`` are ORM paths, ``tie`` unique in the list."""

    value: str
    tie: str
    descending: bool


@dataclass(frozen=True)
class Cursor:
    value: object  # None: the row has no value (the segment after all rows with one)
    tie: int


@dataclass(frozen=True)
class Page:
    rows: list
    next: Cursor | None  # where the following page starts after; None on the last page
    previous: Cursor | None  # where the page before ends; None on the first page


def cursor_encode(cursor: Cursor | None) -> str:
    if cursor is None:
        return ""
    value = cursor.value.isoformat() if isinstance(cursor.value, datetime) else cursor.value
    return base64.urlsafe_b64encode(json.dumps([value, cursor.tie]).encode()).decode().rstrip("=")


def cursor_decode(token: str, *, datetimes: bool) -> Cursor | None:
    """The cursor in ``token``, or None when it is missing or malformed (then the first page shows)."""
    if not token:
        return None
    try:
        value, tie = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if datetimes and value is not None:
            value = parse_datetime(value)
            if value is None:
                return None
        elif value is not None and not isinstance(value, (int, float)):
            return None
        return Cursor(value, int(tie))
    except (ValueError, TypeError, binascii.Error):
        return None


def keyset_page(rows: QuerySet, *, order: Order, size: int, after: Cursor | None = None,
                before: Cursor | None = None) -> Page:
    """The ``size`` rows after ``after`` (or before ``before``; or the first ones), in ``order``.

    Reads at most two index-ordered queries of ``size + 1`` rows: the extra row says whether
    another page follows (or precedes). Each row carries ``sort_value`` and ``sort_tie``.
    """
    rows = rows.annotate(sort_value=F(order.value), sort_tie=F(order.tie))
    if before is not None:
        found = _read(rows, order, size + 1, start=before, backwards=True)
        page = list(reversed(found[:size]))
        return Page(page, next=_key(page[-1], order) if page else None,
                    previous=_key(page[0], order) if len(found) > size else None)
    found = _read(rows, order, size + 1, start=after, backwards=False)
    page = found[:size]
    return Page(page, next=_key(page[-1], order) if len(found) > size else None,
                previous=_key(page[0], order) if after is not None and page else None)


def _read(rows: QuerySet, order: Order, limit: int, *, start: Cursor | None, backwards: bool) -> list:
    # Forward, the valued segment comes first and the valueless one after; backwards, the reverse.
    segments = ("none", "valued") if backwards else ("valued", "none")
    if start is not None and (start.value is None) == (segments[0] == "valued"):
        segments = segments[1:]  # the cursor is already past the first segment
    found: list = []
    for segment in segments:
        needed = limit - len(found)
        if needed <= 0:
            break
        found += list(_segment(rows, order, segment, start, backwards)[:needed])
        start = None  # the next segment is read from its beginning
    return found


def _segment(rows: QuerySet, order: Order, segment: str, start: Cursor | None, backwards: bool) -> QuerySet:
    """One segment's rows in reading order, after ``start`` (which is in this segment, if given)."""
    rising = order.descending == backwards  # reading the index upwards
    if segment == "valued":
        rows = rows.filter(**{f"{order.value}__isnull": False})
        if start is not None:
            step = "gt" if rising else "lt"
            # value <= v (or >=) as an index condition; the tie only decides among equal values.
            rows = rows.filter(Q(**{f"{order.value}__{step}e": start.value}),
                               Q(**{f"{order.value}__{step}": start.value}) | Q(**{f"{order.tie}__{step}": start.tie}))
    else:
        rows = rows.filter(**{f"{order.value}__isnull": True})
        if start is not None:
            rows = rows.filter(**{f"{order.tie}__{'gt' if rising else 'lt'}": start.tie})
    return rows.order_by(*(F(key).asc() if rising else F(key).desc() for key in (order.value, order.tie)))


def _key(row, order: Order) -> Cursor:
    return Cursor(row.sort_value, row.sort_tie)
