"""CSV and TSV: a header row names the columns, then one article per row, streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence

from .base import (
    MAX_LINE_BYTES,
    MAX_RECORD_CHARS,
    ReaderOptions,
    ReadError,
    ReadResult,
    Source,
    describe,
    open_with_head,
)
from .decoding import Line, TextError, iter_lines, sniff_encoding
from .fields import article_from_mapping, missing_text_message, resolve_keys

# The delimiters we recognise, in order of preference when the header is ambiguous.
DELIMITERS = ",;\t"
# Python's default field limit (128 KiB) is shorter than a long article; above our own record
# limit a field is refused anyway, so csv need not buffer more.
FIELD_SIZE_LIMIT = MAX_RECORD_CHARS


class _LineTooLong(Exception):
    """A physical line over MAX_LINE_BYTES: rows after it cannot be told apart reliably."""

    def __init__(self, line: Line) -> None:
        super().__init__(line.problem)
        self.line = line


class _Lines:
    """Feeds decoded lines to csv.reader and remembers the undecodable ones until their row is read."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines
        self.problems: dict[int, str] = {}

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if line.text is None:
            raise _LineTooLong(line)
        if line.problem:
            self.problems[line.number] = line.problem
        return line.text

    def take_problem(self, first: int, last: int) -> str:
        """The first problem on lines first..last, forgetting all of them."""
        found = [self.problems.pop(number) for number in range(first, last + 1) if number in self.problems]
        return found[0] if found else ""


def read_csv(data: Source, origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    """Yield one result per data row; origin "<name>:row N", N counting records after the header from 1.

    Row N is spreadsheet row N + 1; messages also give the physical line, which differs when a
    quoted field spans lines. A header without a text column gives one ReadError for the file.
    Side effect: raises the process-wide csv.field_size_limit() to FIELD_SIZE_LIMIT if lower.
    """
    head, stream = open_with_head(data)
    try:
        encoding = sniff_encoding(head, options.encoding)
    except TextError as error:
        yield ReadError(origin, str(error))
        return
    tab_separated = origin.lower().endswith(".tsv")
    delimiter = "\t" if tab_separated else sniff_delimiter(head.decode(encoding, "replace"))
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = _Lines(iter_lines(stream, encoding, MAX_LINE_BYTES))
    try:
        yield from _read_rows(csv.reader(lines, delimiter=delimiter), lines, origin, options)
    except _LineTooLong as error:
        line = error.line
        message = f"line {line.number} {line.problem}; stopped there, as the rows after it cannot be told apart"
        yield ReadError(origin, message)


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV, judged by the header line: comma, semicolon or tab.

    Only an ambiguous header (as many of two) is left to csv.Sniffer on the whole sample.
    """
    header = sample.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    if counts[best] == 0:
        return ","  # one column
    if list(counts.values()).count(counts[best]) == 1:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return best


def _read_rows(reader, lines: _Lines, origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    """Check the header, then yield a result per row."""
    try:
        header = next(reader, None)
    except csv.Error as error:
        yield ReadError(origin, f"cannot read the header row: {error}")
        return
    if not header or not any(name.strip() for name in header):
        yield ReadError(origin, "file is empty, or its first line (the header) is blank")
        return
    keys = resolve_keys(header, options.column_map)
    problem = _header_problem(header, keys, options.column_map)
    if problem:
        yield ReadError(origin, problem)
        return
    row_number, last_line = 0, reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            row = error
        row_number += 1
        first_line, last_line = last_line + 1, reader.line_num
        where = f"row {row_number} (line {first_line})"
        row_origin = f"{origin}:row {row_number}"
        result = _row_result(row, header, keys, lines.take_problem(first_line, last_line), where, row_origin, options)
        if result is not None:
            yield result


def _header_problem(header: Sequence[str], keys: Mapping[str, str], column_map: Mapping[str, str]) -> str:
    """Why the header cannot be read with this column map, or ""."""
    if "text" not in keys:
        return missing_text_message(header, column_map, noun="column")
    missing = [f"{name!r} (mapped to {field})" for field, name in column_map.items() if field not in keys]
    if missing:
        return f"no column {', '.join(missing)}; found columns: {', '.join(header)}"
    return ""


def _row_result(
    row: list[str] | csv.Error,
    header: Sequence[str],
    keys: Mapping[str, str],
    line_problem: str,
    where: str,
    row_origin: str,
    options: ReaderOptions,
) -> ReadResult | None:
    """One row to an article or a ReadError; None for a blank row, which is skipped."""
    if isinstance(row, csv.Error):
        if "field larger than field limit" in str(row):
            return ReadError(row_origin, f"{where} has a field longer than {csv.field_size_limit():,} characters")
        return ReadError(row_origin, f"{where} cannot be parsed: {row}")
    if line_problem:
        return ReadError(row_origin, f"{where} {line_problem}")
    if not any(value.strip() for value in row):
        return None  # blank lines and ",,," rows from spreadsheets are not records
    if len(row) > len(header):
        return ReadError(
            row_origin,
            f"{where} has {len(row)} fields but the header has {len(header)}; "
            "quote values that contain the delimiter",
        )
    try:
        record = dict(zip(header, row))  # a short row: the missing columns read as empty
        return article_from_mapping(record, origin=row_origin, where=where, fmt="csv", options=options, keys=keys)
    except Exception as error:  # item boundary: one odd row never stops the file
        return ReadError(row_origin, f"{where}: could not read the row ({describe(error)})")
