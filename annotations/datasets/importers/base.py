"""What label importers produce (documents with labels, and errors) and the checks they share.

Pure Python, no Django. Importers never raise on bad input: each bad document becomes a
LabelImportError with an origin ("labels.jsonl:3") and a readable message, and the next
document is read as if nothing happened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ..formats.records import Labels, Span

# Problems quoted in one error message; the count of the rest is still given.
MAX_PROBLEMS_QUOTED = 5
# Characters of a text quoted in a message: enough to recognise it, short enough to read.
QUOTE_CHARS = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedDocument:
    """One text with one set of labels, as another tool exported it. Offsets are code points.

    labels is None when the file holds the text but no labels for it (an unlabelled task), which
    differs from empty labels ("nothing applies"). annotator is the person the file names, or None
    when it names nobody (doccano; Newsroom gold).
    """

    text: str
    labels: Labels | None
    annotator: str | None = None
    title: str = ""
    source: str = ""
    url: str = ""
    published_at: str | None = None
    byline: str = ""
    dateline: str = ""
    language: str = ""
    external_id: str | None = None  # the id the other tool gave the document, if any
    origin: str = ""  # where it was read: "<origin>:<line or task number>"


@dataclass(frozen=True, slots=True)
class LabelImportError:
    """One document (line, task) that could not be imported, and why."""

    origin: str
    message: str


ImportResult: TypeAlias = ImportedDocument | LabelImportError


@dataclass(slots=True)
class Problems:
    """What is wrong with one document, collected so that one message can name all of it."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def error(self, origin: str, where: str) -> LabelImportError:
        """All problems as one error: "<where>: a; b; c (and 4 more problems)"."""
        quoted = "; ".join(self.messages[:MAX_PROBLEMS_QUOTED])
        rest = len(self.messages) - MAX_PROBLEMS_QUOTED
        more = f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest > 0 else ""
        return LabelImportError(origin, f"{where}: {quoted}{more}")


def make_span(
    text: str,
    start: Any,
    end: Any,
    label: Any,
    claimed: Any = None,
    sentiment: Any = None,
) -> Span | str:
    """A checked Span, or a readable problem: offsets must lie in text and match claimed text."""
    name = f"span {start!r}-{end!r} {label!r}" if isinstance(label, str) else f"span {start!r}-{end!r}"
    if not is_int(start) or not is_int(end):
        return f"{name}: start and end must be whole numbers"
    if not isinstance(label, str) or not label.strip():
        return f"{name}: the label is missing"
    if not 0 <= start < end <= len(text):
        return f"{name}: offsets outside the text (0-{len(text)}) or empty"
    if claimed is not None and not isinstance(claimed, str):
        return f"{name}: its text must be a string"
    if claimed is not None and text[start:end] != claimed:
        return f"{name}: the file says {quote(claimed)} but the text there is {quote(text[start:end])}"
    if sentiment is not None and not isinstance(sentiment, str):
        return f"{name}: its sentiment must be a string"
    return Span(start=start, end=end, label=label, text=text[start:end], sentiment=sentiment)


def is_int(value: Any) -> bool:
    """An integer, and not a boolean (JSON true would pass isinstance(value, int))."""
    return isinstance(value, int) and not isinstance(value, bool)


def quote(text: str) -> str:
    """A short repr of text for messages."""
    return repr(text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…")


def string_field(record: Mapping[str, Any], key: str, problems: Problems) -> str:
    """An optional text field: "" when missing or null; a non-string is a problem."""
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(f"{key!r} must be a string")
        return ""
    return value


def string_list(value: Any, what: str, problems: Problems) -> tuple[str, ...]:
    """A list of non-empty strings (null counts as empty), else a problem and ()."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.add(f"{what} must be a list of names")
        return ()
    return tuple(value)


def decode(data: bytes | str) -> str:
    """Text of an upload (bytes as UTF-8), without a byte-order mark. May raise UnicodeDecodeError."""
    return (data if isinstance(data, str) else data.decode("utf-8")).removeprefix("\ufeff")


def json_lines(data: bytes | str, origin: str) -> Iterator[tuple[str, str, dict] | LabelImportError]:
    """(origin, "line N", object) for each non-blank line of JSON Lines, or an error for that line."""
    for number, line in enumerate(_lines(data), start=1):
        line_origin, where = f"{origin}:{number}", f"line {number}"
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                yield LabelImportError(line_origin, f"{where} is not UTF-8 text (byte {error.start + 1})")
                continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as error:
            yield LabelImportError(line_origin, f"{where} is not valid JSON ({str(error)[:80]})")
            continue
        if not isinstance(record, dict):
            yield LabelImportError(line_origin, f"{where} is not a JSON object")
            continue
        yield line_origin, where, record


def _lines(data: bytes | str) -> Iterator[bytes | str]:
    """Lines split at "\\n" only (JSON escapes every other line break), lazily, without copying all."""
    newline = "\n" if isinstance(data, str) else b"\n"
    start = 0
    while start < len(data):
        end = data.find(newline, start)
        if end == -1:
            end = len(data)
        yield data[start:end]
        start = end + 1


def guarded(origin: str, where: str, read: Callable[[], list[ImportResult] | LabelImportError]) -> list[ImportResult]:
    """Run one document's reader; an unexpected failure becomes that document's error, not the file's."""
    try:
        result = read()
    except Exception as error:  # document boundary: one odd document never stops the file
        return [LabelImportError(origin, f"{where}: could not read it ({type(error).__name__}: {error})"[:300])]
    return [result] if isinstance(result, LabelImportError) else result
