"""Turn one record (a JSON object, a CSV row, an API item) into a RawArticle, shared by those readers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .base import FIELDS, MAX_RECORD_CHARS, RawArticle, ReaderOptions, ReadError, ReadResult
from .decoding import normalise_newlines

# The keys we look for when the caller did not map a field, in order of preference (one entry per FIELDS).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title",),
    "url": ("url",),
    "byline": ("byline", "author"),
    "published": ("published", "published_at", "date"),
    "source": ("source", "outlet"),
    "language": ("language", "lang"),
}
# A record with this key set to true keeps its text exactly as sent (no newline change, no cleaning).
VERBATIM_KEY = "verbatim"
# How many of a record's keys an error message lists before "...".
_KEYS_SHOWN = 20


def resolve_keys(keys: Iterable[str], column_map: Mapping[str, str]) -> dict[str, str]:
    """Map each of our fields to the record key holding it: the mapped name, else the aliases.

    Exact names win; otherwise names match ignoring case and surrounding spaces ("Title ").
    """
    exact = [key for key in keys if isinstance(key, str)]
    folded: dict[str, str] = {}
    for key in exact:
        folded.setdefault(key.strip().casefold(), key)
    resolved = {}
    for field, aliases in FIELD_ALIASES.items():
        for name in (column_map[field],) if field in column_map else aliases:
            key = name if name in exact else folded.get(name.strip().casefold())
            if key is not None:
                resolved[field] = key
                break
    return resolved


def missing_text_message(keys: Iterable[str], column_map: Mapping[str, str], *, noun: str) -> str:
    """Explain that no key holds the text, list what there is, and say how to map one."""
    found = [str(key) for key in keys if key is not None]
    shown = ", ".join(found[:_KEYS_SHOWN]) + (", ..." if len(found) > _KEYS_SHOWN else "")
    if "text" in column_map:
        return f"no {noun} {column_map['text']!r} (mapped to text); found {noun}s: {shown or 'none'}"
    return f"no text {noun}; found {noun}s: {shown or 'none'}. Map one, e.g. --column text=<name>"


def article_from_mapping(
    record: Mapping[str, Any],
    *,
    origin: str,
    where: str,
    fmt: str,
    options: ReaderOptions,
    keys: Mapping[str, str] | None = None,
) -> ReadResult:
    """Build the article for one record, or a ReadError saying which field is wrong.

    where: how the message names the record ("line 3", "row 7", "item 2").
    keys: resolve_keys() result when all records share them (CSV); resolved per record if None.
    """
    if keys is None:
        keys = resolve_keys(record.keys(), options.column_map)
    if "text" not in keys:
        return ReadError(origin, f"{where}: {missing_text_message(record.keys(), options.column_map, noun='field')}")
    text = record.get(keys["text"])
    problem = _text_problem(text)
    if problem:
        return ReadError(origin, f"{where}: {problem}")
    values = {}
    for field in FIELDS[1:]:  # all but text, in a stable order
        value = record.get(keys[field]) if field in keys else None
        values[field] = _as_string(value)
        if values[field] is None:
            return ReadError(origin, f"{where}: {field} must be text, got {json_type_name(value)}")
    verbatim = options.verbatim or record.get(VERBATIM_KEY) is True
    if not verbatim:
        text = normalise_newlines(text)
    return RawArticle(origin=origin, raw_text=text, text=text, format=fmt, verbatim=verbatim, **values)


def _text_problem(text: Any) -> str:
    """Why this value cannot be an article text, or "" if it can."""
    if text is None:
        return "text is empty"
    if not isinstance(text, str):
        return f"text must be a string, got {json_type_name(text)}"
    if not text.strip():
        return "text is empty"
    if len(text) > MAX_RECORD_CHARS:
        return f"text has {len(text):,} characters, more than the {MAX_RECORD_CHARS:,} limit; split the article"
    return ""


def _as_string(value: Any) -> str | None:
    """A metadata value as stripped text; lists of scalars (several authors) are joined; None if unusable."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a year, a timestamp
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    return None


def json_type_name(value: Any) -> str:
    """Name a value's type as a JSON user would: "an object", "a number"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return type(value).__name__
