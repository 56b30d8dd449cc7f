"""doccano's JSONL export: {"text", "label": [[start, end, "LABEL"], ...]} or "entities", and "cats".

Spans come from "label" triples or "entities" objects (start_offset, end_offset, label).
Document categories come from "cats", and from "label" items that are plain strings (the text
classification export). A category that is a sentiment value (``sentiment_labels``, compared
case-insensitively, or written "sentiment:<value>") is the sentiment; the others are topics.
doccano exports carry no span text, so offsets (assumed code points) can only be checked to lie
inside the text. Metadata (title, source, url, published_at) is read from the line or its "meta"
object. doccano names no annotator: annotator is None. A line whose "label", "entities" and "cats"
are all missing or empty is unlabelled (labels None): doccano writes every example so, labelled or
not, and so do files prepared for labelling. Token data ("tokens": token strings in text order,
or objects with start and end) is kept as the document's own tokens (base.token_sentences).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from ..formats.records import Labels, Span
from .base import (
    ImportedDocument,
    ImportResult,
    LabelImportError,
    Problems,
    guarded,
    json_lines,
    make_span,
    token_sentences,
)

SENTIMENT_PREFIX = "sentiment:"
META_KEYS = ("title", "source", "url", "published_at")
# Where a line keeps its labels; with all of them missing or empty the line is an unlabelled text.
LABEL_KEYS = ("label", "entities", "cats")


def parse_doccano(data: bytes | str, origin: str, sentiment_labels: Collection[str]) -> Iterator[ImportResult]:
    """One document per non-blank line."""
    sentiments = {label.casefold() for label in sentiment_labels}
    for item in json_lines(data, origin):
        if isinstance(item, LabelImportError):
            yield item
            continue
        line_origin, where, record = item
        yield from guarded(line_origin, where, lambda: [_document(record, line_origin, where, sentiments)])


def _document(record: Mapping[str, Any], origin: str, where: str, sentiments: set[str]) -> ImportResult:
    text = record.get("text", record.get("data"))  # doccano 1.0 called it "data"
    if not isinstance(text, str):
        return LabelImportError(origin, f"{where} has no \"text\" string")
    problems = Problems()
    spans, categories = _spans_and_categories(record, text, problems)
    sentiment, topics = _split_categories(categories, sentiments, problems)
    tokens = token_sentences(text, record.get("tokens"), problems)
    if problems.messages:
        return problems.error(origin, where)
    labelled = any(record.get(key) for key in LABEL_KEYS)
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    found = {key: record.get(key, meta.get(key)) for key in META_KEYS}
    strings = {key: value if isinstance(value, str) else "" for key, value in found.items()}
    return ImportedDocument(
        text=text,
        labels=Labels(sentiment=sentiment, topics=topics, spans=tuple(spans)) if labelled else None,
        external_id=None if record.get("id") is None else str(record["id"]),
        origin=origin,
        title=strings["title"],
        source=strings["source"],
        url=strings["url"],
        published_at=strings["published_at"] or None,
        tokens=tokens,
    )


def _spans_and_categories(record: Mapping[str, Any], text: str, problems: Problems) -> tuple[list[Span], list[str]]:
    """Spans from "label" triples and "entities"; category names from "label" strings and "cats"."""
    raw_spans: list[tuple[Any, Any, Any]] = []
    categories: list[str] = []
    for item in _list(record, "label", problems):
        if isinstance(item, str):
            categories.append(item)
        elif isinstance(item, list) and len(item) == 3:
            raw_spans.append((item[0], item[1], item[2]))
        else:
            problems.add(f"label item {item!r:.40} is neither [start, end, label] nor a category")
    for item in _list(record, "entities", problems):
        if isinstance(item, dict):
            raw_spans.append((item.get("start_offset"), item.get("end_offset"), item.get("label")))
        else:
            problems.add("entities must be objects with start_offset, end_offset and label")
    for item in _list(record, "cats", problems):
        if isinstance(item, str):
            categories.append(item)
        else:
            problems.add("cats must be a list of names")
    spans = []
    for start, end, label in raw_spans:
        span = make_span(text, start, end, label)
        if isinstance(span, str):
            problems.add(span)
        else:
            spans.append(span)
    return spans, categories


def _split_categories(
    categories: list[str], sentiments: set[str], problems: Problems
) -> tuple[str | None, tuple[str, ...]]:
    """(sentiment, topics) from category names; two different sentiments are a problem."""
    found_sentiments: list[str] = []
    topics: list[str] = []
    for name in categories:
        if name.startswith(SENTIMENT_PREFIX):
            found_sentiments.append(name.removeprefix(SENTIMENT_PREFIX))
        elif name.casefold() in sentiments:
            found_sentiments.append(name)
        elif name.strip():
            topics.append(name)
    if len(set(found_sentiments)) > 1:
        problems.add(f"more than one sentiment: {', '.join(sorted(set(found_sentiments)))}")
    return (found_sentiments[0] if found_sentiments else None), tuple(dict.fromkeys(topics))


def _list(record: Mapping[str, Any], key: str, problems: Problems) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{key!r} must be a list")
        return []
    return value
