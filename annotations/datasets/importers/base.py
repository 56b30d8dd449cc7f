"""What label importers produce (documents with labels, and errors) and the checks they share.

Pure Python, no Django. Importers never raise on bad input: each bad document becomes a
LabelImportError with an origin ("labels.jsonl:3") and a readable message, and the next
document is read as if nothing happened.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ..formats.records import LABEL_ORIGINS, Labels, Span, source

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
    # The document's own tokens, when the file has them: sentences, each a list of [start, end].
    tokens: list[list[list[int]]] | None = None


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


def span_provenance(record: Mapping[str, Any], problems: Problems, name: str) -> dict[str, str | None]:
    """A span's origin, sentiment_origin, predictor and predictor_version from our JSON (each may
    be missing or null: not recorded); an unknown origin is a problem."""
    found: dict[str, str | None] = {}
    for key in ("origin", "sentiment_origin", "predictor", "predictor_version"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            problems.add(f"{name}: {key} must be a string or null")
            value = None
        found[key] = value or None
    for key in ("origin", "sentiment_origin"):
        if found[key] is not None and found[key] not in LABEL_ORIGINS:
            problems.add(f"{name}: {key} {found[key]!r} is none of {', '.join(LABEL_ORIGINS)}")
            found[key] = None
    return found


def label_source(value: Any, problems: Problems, what: str) -> dict[str, Any] | None:
    """A SOURCE object ({"origin", "predictor", "version"}) normalised (records.source); None when
    missing, a problem when malformed."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("origin") not in LABEL_ORIGINS:
        problems.add(f"{what} must be an object whose origin is one of {', '.join(LABEL_ORIGINS)}")
        return None
    predictor, version = value.get("predictor"), value.get("version")
    if not all(part is None or isinstance(part, str) for part in (predictor, version)):
        problems.add(f"{what}: predictor and version must be strings or null")
        return None
    return source(value["origin"], predictor, version)


# Whitespace inside a token would split a CoNLL column.
_WHITESPACE = re.compile(r"\s")


def token_sentences(text: str, value: Any, problems: Problems) -> list[list[list[int]]] | None:
    """A document's own tokens from another tool's "tokens": token strings in text order, or
    objects with start and end (spaCy's JSON). Sentences break where a line break lies between
    two tokens. None when there are none; a problem unless every token is found in order and
    holds no whitespace."""
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        problems.add("tokens must be a list")
        return None
    sentences: list[list[list[int]]] = [[]]
    position = 0
    for number, token in enumerate(value, start=1):
        start, end = _token_offsets(text, token, position)
        if start is None or _WHITESPACE.search(text, start, end):
            problems.add(f"token {number} ({str(token)[:40]!r}) is not the next token of the text")
            return None
        if sentences[-1] and "\n" in text[position:start]:
            sentences.append([])
        sentences[-1].append([start, end])
        position = end
    return sentences


def _token_offsets(text: str, token: Any, position: int) -> tuple[int | None, int | None]:
    """(start, end) of a token at or after position: a string is looked up past whitespace, an
    object's offsets are checked."""
    if isinstance(token, dict):
        start, end = token.get("start"), token.get("end")
        if is_int(start) and is_int(end) and position <= start < end <= len(text):
            return start, end
        return None, None
    if isinstance(token, str) and token:
        start = position
        while start < len(text) and text[start].isspace():
            start += 1
        if text.startswith(token, start):
            return start, start + len(token)
    return None, None


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
