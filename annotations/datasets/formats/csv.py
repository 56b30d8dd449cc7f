"""CSV of document-level labels, one row per article, for pandas and spreadsheets.

Columns (HEADER): article_id, title, text, source, url, published_at, has_gold ("true" or
"false"), sentiment, topics (a JSON array of topic names, "Parent/Child" paths in a hierarchy:
no separator a name could contain), spans (a JSON array of {"start", "end", "label", "text",
"sentiment"} objects, offsets in code points of text), span_count, labeled_by (whose labels the
row holds: "gold", an annotator's username, or empty without labels). A row without labels
("every item") has has_gold "false" and empty sentiment, topics, spans, span_count and
labeled_by; a row with labels (has_gold "true", in an export of annotations also an
annotator's) without sentiment has an empty sentiment, and without topics "[]".

UTF-8 without a byte-order mark (pandas and most tools read it as is; in Excel, use Data > From
Text/CSV), RFC 4180 quoting (fields with commas, quotes or line breaks are quoted, quotes
doubled), CRLF row ends.

Formulas: a spreadsheet runs a cell that starts with = + - @, a tab or a carriage return
(OWASP's list for CSV injection). By default ("escape") such a text cell is written with a
single quote in front, and so is a cell that starts with quotes followed by one of those (so
that the quote can always be removed again: see unescape); "raw" writes every cell as it is,
for tools that never evaluate cells.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from .base import Format
from .records import ExportRecord, Labels, labeler

HEADER = ("article_id", "title", "text", "source", "url", "published_at", "has_gold", "sentiment", "topics", "spans",
          "span_count", "labeled_by")
FORMULAS_ESCAPE, FORMULAS_RAW = "escape", "raw"
CSV_FORMULAS = (FORMULAS_ESCAPE, FORMULAS_RAW)
# What a spreadsheet takes as the start of a formula (OWASP, CSV injection).
FORMULA_START = frozenset("=+-@\t\r")
ESCAPE = "'"


class CsvFormat(Format):
    """Document-level labels, one row per record: see HEADER."""

    name = "csv"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def __init__(self, *, formulas: str = FORMULAS_ESCAPE) -> None:
        super().__init__()
        if formulas not in CSV_FORMULAS:
            raise ValueError(f"formulas must be one of {CSV_FORMULAS}, not {formulas!r}")
        self.formulas = formulas

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield the header row, then one UTF-8 row per record; constant memory."""
        self._start()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        yield _take(buffer)
        cells = _escaped if self.formulas == FORMULAS_ESCAPE else tuple
        for record in records:
            writer.writerow(cells(_row(record)))
            yield _take(buffer)
            self.summary["documents"] += 1
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
            else:
                self.summary["spans"] += len(record.gold.spans)


def _row(record: ExportRecord) -> tuple:
    gold = record.gold
    metadata = (record.article_id, record.title, record.text, record.source, record.url, record.published_at or "")
    if gold is None:
        return (*metadata, "false", "", "", "", "", "")
    return (*metadata, "true", gold.sentiment or "", _json(list(gold.topics)), _json(_spans(gold)), len(gold.spans),
            labeler(record))


def _spans(gold: Labels) -> list[dict]:
    return [{"start": s.start, "end": s.end, "label": s.label, "text": s.text, "sentiment": s.sentiment}
            for s in gold.spans]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _escaped(row: tuple) -> tuple:
    return tuple(escape(cell) if isinstance(cell, str) else cell for cell in row)


def escape(value: str) -> str:
    """value with a single quote in front if a spreadsheet would take it for a formula, or if it
    starts with quotes followed by a formula character (so that unescape is exact)."""
    first = value[:1]
    if first in FORMULA_START or (first == ESCAPE and value.lstrip(ESCAPE)[:1] in FORMULA_START):
        return ESCAPE + value
    return value


def unescape(value: str) -> str:
    """The value escape() was given: one leading quote removed where escape added it."""
    if value[:1] == ESCAPE and value.lstrip(ESCAPE)[:1] in FORMULA_START:
        return value[1:]
    return value


def _take(buffer: io.StringIO) -> bytes:
    """What the writer put in buffer since the last call, as UTF-8; the buffer is emptied."""
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data.encode("utf-8")
