"""JSON Lines: one JSON object per line, streamed with constant memory."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .base import MAX_LINE_BYTES, ReaderOptions, ReadError, ReadResult, Source, describe, open_with_head
from .decoding import TextError, iter_lines, sniff_encoding
from .fields import json_type_name, article_from_mapping


def read_jsonl(data: Source, origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    """Yield one result per non-blank line; origin "<name>:<line>" with 1-based physical line numbers.

    A bad line becomes a ReadError and the following lines still import.
    """
    head, stream = open_with_head(data)
    try:
        encoding = sniff_encoding(head, options.encoding)
    except TextError as error:
        yield ReadError(origin, str(error))
        return
    records = 0
    for line in iter_lines(stream, encoding, MAX_LINE_BYTES):
        line_origin = f"{origin}:{line.number}"
        if line.problem:
            records += 1
            yield ReadError(line_origin, f"line {line.number} {line.problem}")
        elif line.text.strip():
            records += 1
            yield _parse_line(line.text, line.number, line_origin, options)
    if not records:
        yield ReadError(origin, "file is empty")


def _parse_line(text: str, number: int, origin: str, options: ReaderOptions) -> ReadResult:
    """One line to an article or a ReadError; anything unexpected stays with this line."""
    try:
        record = json.loads(text.strip())
    except json.JSONDecodeError as error:
        what = error.msg.removesuffix(" at")  # "Unterminated string starting at", "Expecting value"
        return ReadError(origin, f"line {number} is not valid JSON: {what} at column {error.colno}")
    except (RecursionError, ValueError) as error:  # absurdly nested, or numbers too long to convert
        return ReadError(origin, f"line {number} is not valid JSON: {describe(error)}")
    if not isinstance(record, dict):
        return ReadError(origin, f"line {number} is not a JSON object (got {json_type_name(record)})")
    try:
        return article_from_mapping(record, origin=origin, where=f"line {number}", fmt="jsonl", options=options)
    except Exception as error:  # item boundary: one odd record never stops the file
        return ReadError(origin, f"line {number}: could not read the record ({describe(error)})")
