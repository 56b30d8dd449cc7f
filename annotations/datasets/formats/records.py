"""What exporters read: one article with its gold labels (and optionally each annotator's labels).

Pure Python, no Django: the export service turns rows into these records, the formats turn these
records into bytes. Offsets are Python string indices (code points) into ``text``, end-exclusive.

Provenance (where a label came from) is written by the JSONL format only: each span's origin,
sentiment_origin, predictor and predictor_version, and the document labels' ``provenance``,
{"sentiment": SOURCE or null, "topics": [{"topic": <path>, **SOURCE}, ...]} (one entry per topic, in
the order of "topics"), SOURCE = {"origin", "predictor", "version"}. The models key topics by id;
an export names them by path, as its "topics" list does, and a list (not an object keyed by path)
gives every record the same shape, which columnar readers (Arrow, pandas) need. Origins are the
values of ``LABEL_ORIGINS``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

# Where a label came from (annotations.models.LabelOrigin): typed by a person, a machine's
# suggestion accepted or changed by a person, or imported from another tool's file.
LABEL_ORIGINS = ("person", "accepted", "changed", "imported")
PERSON, IMPORTED = "person", "imported"
# ExportRecord.labeled_by of the accepted gold; any other value is an annotator's username.
GOLD = "gold"


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of the text: text[start:end] == self.text."""

    start: int
    end: int
    label: str
    text: str
    sentiment: str | None = None  # sentiment toward this entity, if the project asks for it
    # Provenance; origin None: not recorded (another tool's file).
    origin: str | None = None
    sentiment_origin: str | None = None  # None without a sentiment, or not recorded
    predictor: str | None = None  # the predictor whose suggestion was accepted or changed
    predictor_version: str | None = None


@dataclass(frozen=True, slots=True)
class Labels:
    """One set of labels for one article (gold, or one annotator's)."""

    sentiment: str | None
    topics: tuple[str, ...]  # topic names; in a hierarchy, "Parent/Child" paths
    spans: tuple[Span, ...]
    # {"sentiment": SOURCE | None, "topics": [{"topic": path, **SOURCE}]} (see source()); None: not recorded.
    provenance: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One article as exported: its metadata, its gold labels, and optionally more."""

    article_id: int
    title: str
    text: str  # Article.body, exactly: every offset points into it
    source: str
    url: str
    published_at: str | None  # ISO 8601
    byline: str
    dateline: str
    language: str
    # The labels this record holds: the accepted gold, or the latest labels of the annotator named
    # by labeled_by (exports of annotations). None: no labels.
    gold: Labels | None
    annotations: tuple[tuple[str, Labels], ...] = ()  # (annotator username, labels)
    agreement: dict | None = None
    # The article's own tokens (Article.tokens): sentences, each a list of [start, end] offsets
    # into text. None: the article came without tokens and exporters tokenise it.
    tokens: list[list[list[int]]] | None = None
    labeled_by: str = GOLD  # whose labels ``gold`` holds: GOLD, or an annotator's username


def labeler(record: ExportRecord) -> str | None:
    """Whose labels the record holds as an export writes it: GOLD, a username, or None (no labels)."""
    return None if record.gold is None else record.labeled_by


def source(origin: str | None, predictor: str | None = None, version: str | None = None) -> dict[str, Any]:
    """One document label's SOURCE: {"origin", "predictor", "version"}, empty values as None."""
    return {"origin": origin or PERSON, "predictor": predictor or None,
            "version": None if version in (None, "") else str(version)}


def span_to_dict(span: Span) -> dict[str, Any]:
    """A span as a JSON object: start, end, label, text, sentiment and its provenance."""
    return {"start": span.start, "end": span.end, "label": span.label, "text": span.text, "sentiment": span.sentiment,
            "origin": span.origin, "sentiment_origin": span.sentiment_origin, "predictor": span.predictor,
            "predictor_version": span.predictor_version}


def labels_to_dict(labels: Labels | None) -> dict[str, Any] | None:
    """Labels as a JSON object (None stays None: "no labels", unlike empty labels)."""
    if labels is None:
        return None
    return {
        "sentiment": labels.sentiment,
        "topics": list(labels.topics),
        "spans": [span_to_dict(span) for span in labels.spans],
        "provenance": labels.provenance,
    }


def record_to_dict(record: ExportRecord) -> dict[str, Any]:
    """Every field of a record as JSON-ready values, in a stable key order. An annotator's labels
    (labeled_by a username) are written as they are elsewhere, under "annotations"; "gold" is
    then null."""
    if labeler(record) not in (None, GOLD):
        record = replace(record, gold=None, annotations=((record.labeled_by, record.gold),))
        return {**record_to_dict(record), "labeled_by": record.labeled_by}
    return {
        "article_id": record.article_id,
        "title": record.title,
        "text": record.text,
        "source": record.source,
        "url": record.url,
        "published_at": record.published_at,
        "byline": record.byline,
        "dateline": record.dateline,
        "language": record.language,
        "tokens": record.tokens,
        "gold": labels_to_dict(record.gold),
        "annotations": [
            {"annotator": annotator, "labels": labels_to_dict(labels)} for annotator, labels in record.annotations
        ],
        "agreement": _finite(record.agreement),
        "labeled_by": labeler(record),
    }


def _finite(value: Any) -> Any:
    """Replace NaN and infinities by None, recursively.

    Agreement statistics are NaN when undefined (one annotator, one category); json.dumps would
    write the bare word NaN, which is not JSON and breaks strict readers (jq, JavaScript, Go).
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
