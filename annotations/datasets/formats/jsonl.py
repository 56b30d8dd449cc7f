"""JSON Lines: lossless, one record per line, streamed; parse_labels(fmt="newsroom") reads it back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .base import Format
from .records import ExportRecord, record_to_dict

# json.dumps(ensure_ascii=False) leaves these characters raw; str.splitlines() (and editors)
# break lines at them, which would split one record in two. Escaped, every reader agrees.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class JsonlFormat(Format):
    """Every field of every record: gold, annotations and agreement as objects, UTF-8, one per line."""

    name = "jsonl"
    media_type = "application/x-ndjson"
    extension = "jsonl"

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield one UTF-8 line per record; constant memory."""
        self._start()
        for record in records:
            yield dumps_line(record_to_dict(record))
            self.summary["documents"] += 1
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
            else:
                self.summary["spans"] += len(record.gold.spans)


def dumps_line(value: dict) -> bytes:
    """One JSON object as a line of UTF-8: characters kept readable, never a line break inside."""
    line = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in _LINE_BREAKS.items():
        if raw in line:
            line = line.replace(raw, escaped)
    return (line + "\n").encode("utf-8")
