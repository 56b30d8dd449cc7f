"""Our own JSONL export read back: gold (annotator None) and each annotator's labels per line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..formats.records import Labels
from .base import (
    ImportedDocument,
    ImportResult,
    LabelImportError,
    Problems,
    guarded,
    json_lines,
    make_span,
    string_field,
    string_list,
)


META_KEYS = ("title", "source", "url", "byline", "dateline", "language")


def parse_newsroom(data: bytes | str, origin: str) -> Iterator[ImportResult]:
    """One document per labels set of each line: the gold, then each annotation.

    A line with neither yields one document with labels None. A line with any bad labels is one
    error and yields nothing, so no half-imported gold.
    """
    for item in json_lines(data, origin):
        if isinstance(item, LabelImportError):
            yield item
            continue
        line_origin, where, record = item
        yield from guarded(line_origin, where, lambda: _documents(record, line_origin, where))


def _documents(record: Mapping[str, Any], origin: str, where: str) -> list[ImportResult] | LabelImportError:
    text = record.get("text")
    if not isinstance(text, str):
        return LabelImportError(origin, f"{where} has no \"text\" string")
    problems = Problems()
    meta = {key: string_field(record, key, problems) for key in META_KEYS}
    published_at = string_field(record, "published_at", problems) or None
    article_id = record.get("article_id")
    external_id = None if article_id is None else str(article_id)
    labelled = [(None, labels_from_json(record.get("gold"), text, "gold", problems))]
    labelled += _annotations(record.get("annotations"), text, problems)
    if problems.messages:
        return problems.error(origin, where)
    common = dict(text=text, published_at=published_at, external_id=external_id, origin=origin, **meta)
    documents = [
        ImportedDocument(labels=labels, annotator=annotator, **common)
        for annotator, labels in labelled
        if labels is not None
    ]
    return documents or [ImportedDocument(labels=None, **common)]


def _annotations(value: Any, text: str, problems: Problems) -> list[tuple[str, Labels | None]]:
    """[(annotator, labels)] from the "annotations" list of {"annotator", "labels"} objects."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add("annotations must be a list")
        return []
    found = []
    for number, item in enumerate(value, start=1):
        annotator = item.get("annotator") if isinstance(item, dict) else None
        if not isinstance(annotator, str) or not annotator.strip():
            problems.add(f"annotation {number} names no annotator")
            continue
        found.append((annotator, labels_from_json(item.get("labels"), text, f"annotation {number}", problems)))
    return found


def labels_from_json(value: Any, text: str, what: str, problems: Problems) -> Labels | None:
    """Labels from our JSON object (see records.labels_to_dict), every span checked against text."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.add(f"{what} must be an object or null")
        return None
    sentiment = value.get("sentiment")
    if sentiment is not None and not isinstance(sentiment, str):
        problems.add(f"{what} sentiment must be a string or null")
    topics = string_list(value.get("topics"), f"{what} topics", problems)
    spans_value = value.get("spans") or []
    if not isinstance(spans_value, list) or not all(isinstance(span, dict) for span in spans_value):
        problems.add(f"{what} spans must be a list of objects")
        spans_value = []
    spans = []
    for item in spans_value:
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        span = make_span(text, start, end, label, item.get("text"), item.get("sentiment"))
        if isinstance(span, str):
            problems.add(f"{what} {span}")
        else:
            spans.append(span)
    return Labels(sentiment=sentiment if isinstance(sentiment, str) else None, topics=topics, spans=tuple(spans))
