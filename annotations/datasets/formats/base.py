"""The shape every export format shares: its media type, file extension, writer and summary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from .records import ExportRecord, Span

# Examples of skipped spans kept in a summary; the counts are always complete. The cap keeps a
# summary small enough for a job row however broken the data is.
MAX_REPORTED_SPANS = 100


def new_summary() -> dict[str, Any]:
    """Counters of one export run, all zero.

    documents: records written; documents_without_gold: records whose gold is None (written by
    JSONL and CSV, left out of CoNLL and spaCy, where they would teach "no entities here");
    spans: gold spans written; spans_misaligned / spans_overlapping: gold spans left out, with up
    to MAX_REPORTED_SPANS examples in skipped_spans (article_id, start, end, label, reason).
    """
    return {
        "documents": 0,
        "documents_without_gold": 0,
        "spans": 0,
        "spans_misaligned": 0,
        "spans_overlapping": 0,
        "skipped_spans": [],
    }


class Format:
    """One export format. Make one instance per export run: it keeps that run's summary.

    ``write(records)`` is a generator of bytes; ``summary`` is final once it is exhausted.
    """

    name: ClassVar[str]
    media_type: ClassVar[str]
    extension: ClassVar[str]  # without the dot
    streaming: ClassVar[bool] = True  # False: memory grows with the export (spaCy DocBin)
    # Writes items without gold ("every item"); False: leaves them out, so an export of every
    # item is refused rather than quietly holding only the gold ones.
    every_item: ClassVar[bool] = True

    def __init__(self) -> None:
        self.summary = new_summary()

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield the export's bytes for these records, in order."""
        raise NotImplementedError

    def _start(self) -> None:
        """Reset the counters, so that one instance written twice reports its last run."""
        self.summary = new_summary()

    def _skipped(self, article_id: int, span: Span, reason: str) -> None:
        """Count a gold span left out (reason "misaligned" or "overlapping") and keep an example."""
        self.summary[f"spans_{reason}"] += 1
        examples = self.summary["skipped_spans"]
        if len(examples) < MAX_REPORTED_SPANS:
            examples.append(
                {"article_id": article_id, "start": span.start, "end": span.end, "label": span.label, "reason": reason}
            )
