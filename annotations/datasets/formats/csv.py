"""CSV of document-level labels, one row per article, for spreadsheets and pandas.

UTF-8 without a byte-order mark (pandas and most tools read it as is; in Excel, use Data > From
Text/CSV), RFC 4180 quoting (fields with commas, quotes or line breaks are quoted, quotes
doubled), CRLF row ends. Topics are joined with "; ". Values are written as they are: a title
starting with "=" is not defused, because this file feeds data tools, not spreadsheets first.
An article without gold has empty sentiment, topics and span_count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from .base import Format
from .records import ExportRecord

HEADER = ("article_id", "title", "source", "url", "published_at", "sentiment", "topics", "span_count")
TOPIC_SEPARATOR = "; "


class CsvFormat(Format):
    """Document-level labels: article_id, title, source, url, published_at, sentiment, topics, span_count."""

    name = "csv"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield the header row, then one UTF-8 row per record; constant memory."""
        self._start()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        yield _take(buffer)
        for record in records:
            writer.writerow(_row(record))
            yield _take(buffer)
            self.summary["documents"] += 1
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
            else:
                self.summary["spans"] += len(record.gold.spans)


def _row(record: ExportRecord) -> tuple:
    gold = record.gold
    return (
        record.article_id,
        record.title,
        record.source,
        record.url,
        record.published_at or "",
        (gold.sentiment or "") if gold else "",
        TOPIC_SEPARATOR.join(gold.topics) if gold else "",
        len(gold.spans) if gold else "",
    )


def _take(buffer: io.StringIO) -> bytes:
    """What the writer put in buffer since the last call, as UTF-8; the buffer is emptied."""
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data.encode("utf-8")
