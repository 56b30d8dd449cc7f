"""Export formats of datasets. Pure Python: no Django here.

The export service turns rows into ExportRecord values and writes them through a format::

    exporter = FORMATS["conll"]()          # one instance per export run
    for chunk in exporter.write(records):  # records: any iterable, read lazily
        out.write(chunk)
    exporter.summary                       # final once write() is exhausted

Every format has name, media_type, extension, streaming, every_item (whether it writes items
without gold) and summary (see base.new_summary). JSONL, CoNLL and CSV stream with constant
memory; spaCy's DocBin is written once at the end. CSV takes an option, formulas ("escape" or
"raw"); annotations.datasets.exports.exporter_for builds a format with the options of an export.
A new format registers here and gets a round-trip test.
"""

from __future__ import annotations

from .base import MAX_REPORTED_SPANS, Format, new_summary
from .conll import ConllFormat
from .csv import CsvFormat
from .docbin import DocBinFormat
from .jsonl import JsonlFormat
from .records import ExportRecord, Labels, Span

__all__ = [
    "FORMATS",
    "MAX_REPORTED_SPANS",
    "ExportRecord",
    "Format",
    "Labels",
    "Span",
    "new_summary",
]

FORMATS: dict[str, type[Format]] = {
    "jsonl": JsonlFormat,
    "conll": ConllFormat,
    "spacy": DocBinFormat,
    "csv": CsvFormat,
}
