"""Label Studio's JSON export: a list of tasks, each with data.text and annotations[].result[].

Read: results of type "labels" (value.start, value.end, value.text, value.labels: one span per
label), "choices" and "taxonomy". Which choices mean what is decided by from_name through
``choice_fields`` ({"sentiment": <from_name>, "topics": <from_name>}); a sentiment choice that
shares its id with a labels region is that entity's sentiment. Taxonomy paths become
"Parent/Child" topics. Other result types and from_names (ratings, text areas, relations) are
ignored, and so are predictions and cancelled annotations. Token data in the task (data.tokens:
token strings in text order, or objects with start and end) is kept as the document's own tokens
(base.token_sentences). Each annotation is one document,
its annotator the e-mail or id of completed_by.

Offsets: we assume code points, as Python counts (and as current Label Studio writes them).
Exports from versions that counted UTF-16 units differ only after an emoji or other astral
character; where value.text does not match at the given offsets but does when they are read
as UTF-16 units, they are converted. The whole file is parsed at once: it is one JSON array.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..formats.records import Labels
from .base import (
    ImportedDocument,
    ImportResult,
    LabelImportError,
    Problems,
    decode,
    guarded,
    is_int,
    make_span,
    string_field,
    token_sentences,
)

DEFAULT_CHOICE_FIELDS = {"sentiment": "sentiment", "topics": "topic"}
TEXT_KEY = "text"  # the task data key Label Studio's <Text value="$text"/> reads
META_KEYS = ("title", "source", "url", "published_at")


def parse_label_studio(data: bytes | str, origin: str, choice_fields: Mapping[str, str]) -> Iterator[ImportResult]:
    """One document per annotation of each task (labels None for a task without any)."""
    try:
        tasks = json.loads(decode(data))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        yield LabelImportError(origin, f"not a Label Studio JSON export ({str(error)[:80]})")
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield LabelImportError(origin, "not a Label Studio JSON export (expected a list of tasks)")
        return
    for number, task in enumerate(tasks, start=1):
        task_origin, where = f"{origin}:{number}", f"task {number}"
        yield from guarded(task_origin, where, lambda: _task_documents(task, task_origin, where, choice_fields))


def _task_documents(
    task: Any, origin: str, where: str, fields: Mapping[str, str]
) -> list[ImportResult] | LabelImportError:
    data = task.get("data") if isinstance(task, dict) else None
    text = data.get(TEXT_KEY) if isinstance(data, dict) else None
    if not isinstance(text, str):
        return LabelImportError(origin, f"{where} has no data.{TEXT_KEY} string")
    problems = Problems()
    meta = {key: string_field(data, key, problems) for key in META_KEYS}
    meta["published_at"] = meta["published_at"] or None
    tokens = token_sentences(text, data.get("tokens"), problems)
    external_id = None if task.get("id") is None else str(task["id"])
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        problems.add("annotations must be a list")
    if problems.messages:
        return problems.error(origin, where)
    common = dict(text=text, external_id=external_id, origin=origin, tokens=tokens, **meta)
    documents: list[ImportResult] = [
        _document(annotation, text, fields, common, f"{where}, annotation {number}")
        for number, annotation in enumerate(annotations, start=1)
        if not (isinstance(annotation, dict) and annotation.get("was_cancelled"))
    ]
    return documents or [ImportedDocument(labels=None, **common)]


def _document(annotation: Any, text: str, fields: Mapping[str, str], common: dict, where: str) -> ImportResult:
    """One annotation as a document, or the error naming everything wrong with it."""
    problems = Problems()
    labels = _labels(annotation, text, fields, problems)
    if problems.messages:
        return problems.error(common["origin"], where)
    return ImportedDocument(labels=labels, annotator=_annotator(annotation), **common)


def _annotator(annotation: Mapping[str, Any]) -> str | None:
    """Who completed the annotation: completed_by's e-mail, else its id (it may be a bare id)."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return None if who is None or who == "" else str(who)


def _labels(annotation: Any, text: str, fields: Mapping[str, str], problems: Problems) -> Labels | None:
    results = annotation.get("result") if isinstance(annotation, dict) else None
    if not isinstance(results, list) or not all(isinstance(item, dict) for item in results):
        problems.add("its result must be a list of objects")
        return None
    sentiment_field, topic_field = fields.get("sentiment"), fields.get("topics")
    regions = {item.get("id") for item in results if str(item.get("type")).lower() == "labels"}
    region_sentiment: dict[Any, str] = {}
    sentiments: list[str] = []
    topics: list[str] = []
    for item in results:
        kind, name, value = str(item.get("type")).lower(), item.get("from_name"), item.get("value")
        if kind not in ("choices", "taxonomy") or name is None or name not in (sentiment_field, topic_field):
            continue
        if not isinstance(value, dict):
            problems.add(f"{kind} {name!r} has no value")
        elif kind == "taxonomy" and name == topic_field:
            topics += _paths(value.get("taxonomy"), problems)
        elif kind == "choices" and name == topic_field:
            topics += _choices(value, name, problems)
        elif kind == "choices" and item.get("id") in regions and item.get("id") is not None:
            region_sentiment[item.get("id")] = next(iter(_choices(value, name, problems)), None)
        elif kind == "choices":
            sentiments += _choices(value, name, problems)
    if len(set(sentiments)) > 1:
        problems.add(f"more than one sentiment: {', '.join(sorted(set(sentiments)))}")
    spans = _spans(results, text, region_sentiment, problems)
    return Labels(sentiment=sentiments[0] if sentiments else None, topics=tuple(dict.fromkeys(topics)), spans=spans)


def _choices(value: Mapping[str, Any], name: str, problems: Problems) -> list[str]:
    choices = value.get("choices")
    if not isinstance(choices, list) or not all(isinstance(choice, str) for choice in choices):
        problems.add(f"choices {name!r} must be a list of strings")
        return []
    return choices


def _paths(value: Any, problems: Problems) -> list[str]:
    """Taxonomy selections ([["Politics", "Elections"]]) as "Politics/Elections" topics."""
    if not isinstance(value, list) or not all(isinstance(path, list) and path for path in value):
        problems.add("taxonomy must be a list of paths")
        return []
    return ["/".join(str(part) for part in path) for path in value]


def _spans(results: list[dict], text: str, region_sentiment: Mapping[Any, str], problems: Problems) -> tuple:
    spans = []
    for item in results:
        value = item.get("value")
        if str(item.get("type")).lower() != "labels" or not isinstance(value, dict):
            continue
        names = value.get("labels")
        if not isinstance(names, list) or not names:
            problems.add(f"region {item.get('id')!r} has no labels")
            continue
        start, end = _code_points(text, value.get("start"), value.get("end"), value.get("text"))
        for label in names:
            span = make_span(text, start, end, label, value.get("text"), region_sentiment.get(item.get("id")))
            if isinstance(span, str):
                problems.add(span)
            else:
                spans.append(span)
    return tuple(spans)


def _code_points(text: str, start: Any, end: Any, claimed: Any) -> tuple[Any, Any]:
    """start and end as code points: as given, unless only a UTF-16 reading matches claimed."""
    if not (is_int(start) and is_int(end) and isinstance(claimed, str)) or text[start:end] == claimed:
        return start, end
    if text.isascii() or start < 0 or end < start:
        return start, end
    converted = _from_utf16(text, start), _from_utf16(text, end)
    return converted if None not in converted and text[converted[0] : converted[1]] == claimed else (start, end)


def _from_utf16(text: str, units: int) -> int | None:
    """The code point index at a UTF-16 offset, or None if it falls inside a surrogate pair or past the end."""
    count = 0
    for index, char in enumerate(text):
        if count == units:
            return index
        if count > units:
            return None
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text) if count == units else None
