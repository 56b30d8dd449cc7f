"""Keyset pages of a queryset: a page is found from the position of the row before it (the sort
column's value and the id), never by counting rows from the start, so a deep page costs what
the first does, and rows added or removed meanwhile shift nothing.

The order is the queryset's own: its first sort column, with the id as tie-breaker in the same
direction, empty values last; the id alone (newest first) where it names none. The API's
pagination and the pages' lists both use it.
"""

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q, QuerySet

# The annotation that carries the sort column's value on every row of a page.
KEY = "keyset_value"
PK_NAMES = {"pk", "id"}


class InvalidCursor(ValueError):
    """A cursor that was not made for this list (another ordering) or was tampered with."""


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str | None  # None: no page after this one
    previous_cursor: str | None  # None: no page before; "" : the first page (no cursor)
    has_next: bool
    has_previous: bool


def keyset_page(queryset: QuerySet, *, cursor: str | None, size: int) -> KeysetPage:
    """The page of ``size`` rows of ``queryset`` at ``cursor`` (None: the first page), with the
    cursors of the pages around it. Raises InvalidCursor."""
    key, descending = sort_key(queryset)
    if key is not None:
        queryset = queryset.annotate(**{KEY: F(key)})
    position, reverse = _decode(cursor, queryset, key) if cursor else (None, False)
    queryset = queryset.order_by(*_order(key, descending, reverse))
    if position is not None:
        queryset = queryset.filter(_beyond(key, descending, reverse, position))
    rows = list(queryset[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
    has_next, has_previous = (True, more) if reverse else (more, position is not None)
    if not rows:  # past either end: back to the first page
        return KeysetPage(rows, None, "" if position is not None else None, False, position is not None)
    return KeysetPage(rows, _encode(rows[-1], key, reverse=False) if has_next else None,
                      _encode(rows[0], key, reverse=True) if has_previous else None, has_next, has_previous)


def sort_key(queryset: QuerySet) -> tuple[str | None, bool]:
    """The queryset's first sort column (None: the id alone) and whether it sorts descending."""
    query = queryset.query
    terms = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    if not terms:
        return None, True
    first = terms[0]
    if isinstance(first, OrderBy) and isinstance(first.expression, F):
        name, descending = first.expression.name, first.descending
    elif isinstance(first, str) and first != "?":
        name, descending = first.lstrip("-"), first.startswith("-")
    else:
        return None, True
    return (None, descending) if name in PK_NAMES else (name, descending)


def _encode(row, key: str | None, *, reverse: bool) -> str:
    position = [getattr(row, KEY), row.pk] if key is not None else [row.pk]
    token = json.dumps({"p": position, "r": int(reverse)}, cls=DjangoJSONEncoder, separators=(",", ":"))
    return urlsafe_b64encode(token.encode()).decode().rstrip("=")


def _decode(cursor: str, queryset: QuerySet, key: str | None) -> tuple[list, bool]:
    try:
        token = json.loads(urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position, reverse = token["p"], bool(token.get("r"))
        if not isinstance(position, list) or len(position) != (1 if key is None else 2):
            raise InvalidCursor("a position of another ordering")
        position[-1] = queryset.model._meta.pk.to_python(position[-1])
        if key is not None and position[0] is not None:
            position[0] = queryset.query.annotations[KEY].output_field.to_python(position[0])
    except (Base64Error, ValueError, TypeError, KeyError, AttributeError, ValidationError) as exc:
        raise InvalidCursor(str(exc)) from exc
    return position, reverse


def _order(key: str | None, descending: bool, reverse: bool) -> list[OrderBy]:
    """Sort column then id, the same direction; empty values last (first when reading backwards)."""
    backwards = descending != reverse
    pk = OrderBy(F("pk"), descending=backwards)
    if key is None:
        return [pk]
    nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
    return [OrderBy(F(KEY), descending=backwards, **nulls), pk]


def _beyond(key: str | None, descending: bool, reverse: bool, position: list) -> Q:
    """The rows after ``position`` in the reading direction."""
    step = "lt" if descending != reverse else "gt"
    pk = position[-1]
    if key is None:
        return Q(**{f"pk__{step}": pk})
    value = position[0]
    empty = Q(**{f"{KEY}__isnull": True})
    if not reverse:  # empty values come last
        if value is None:
            return empty & Q(**{f"pk__{step}": pk})
        return Q(**{f"{KEY}__{step}": value}) | Q(**{KEY: value, f"pk__{step}": pk}) | empty
    if value is None:  # reading backwards from among the empty values
        return ~empty | (empty & Q(**{f"pk__{step}": pk}))
    return Q(**{f"{KEY}__{step}": value}) | Q(**{KEY: value, f"pk__{step}": pk})
