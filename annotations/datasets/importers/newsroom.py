"""Our own JSONL export read back: gold (annotator None) and each annotator's labels per line, with
their provenance (see formats.records) and the article's own tokens."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from ..formats.records import Labels
from .base import (
    ImportedDocument,
    ImportResult,
    LabelImportError,
    Problems,
    guarded,
    is_int,
    json_lines,
    label_source,
    make_span,
    span_provenance,
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
    tokens = _tokens(record.get("tokens"), text, problems)
    if problems.messages:
        return problems.error(origin, where)
    common = dict(text=text, published_at=published_at, external_id=external_id, origin=origin, tokens=tokens, **meta)
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
            spans.append(replace(span, **span_provenance(item, problems, f"{what} span {start!r}-{end!r}")))
    return Labels(sentiment=sentiment if isinstance(sentiment, str) else None, topics=topics, spans=tuple(spans),
                  provenance=_provenance(value.get("provenance"), topics, what, problems))


def _provenance(value: Any, topics: tuple[str, ...], what: str, problems: Problems) -> dict[str, Any] | None:
    """Document labels' provenance, {"sentiment": SOURCE | null, "topics": [{"topic", **SOURCE}]}, read
    back as written; None when the line has none (an export from before provenance)."""
    if value is None:
        return None
    entries = value.get("topics") if isinstance(value, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.add(f"{what} provenance must be an object with a list of topics")
        return None
    by_topic = []
    for entry in entries:
        if entry.get("topic") not in topics:
            problems.add(f"{what} provenance names topic {entry.get('topic')!r}, which is not among its topics")
            continue
        found = label_source(entry, problems, f"{what} provenance of topic {entry['topic']!r}")
        if found is not None:
            by_topic.append({"topic": entry["topic"], **found})
    sentiment = label_source(value.get("sentiment"), problems, f"{what} provenance of the sentiment")
    return {"sentiment": sentiment, "topics": by_topic}


def _tokens(value: Any, text: str, problems: Problems) -> list[list[list[int]]] | None:
    """The article's own tokens as our export writes them: sentences of [start, end], each token
    after the one before, inside the text and without whitespace; else a problem."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(sentence, list) for sentence in value):
        problems.add("tokens must be a list of sentences")
        return None
    position = 0
    for sentence in value:
        for token in sentence:
            if not (isinstance(token, list) and len(token) == 2 and all(is_int(part) for part in token)):
                problems.add(f"token {str(token)[:40]} is not a [start, end] pair")
                return None
            start, end = token
            if not position <= start < end <= len(text) or any(char.isspace() for char in text[start:end]):
                problems.add(f"token [{start}, {end}] is not the next token of the text")
                return None
            position = end
    return value
