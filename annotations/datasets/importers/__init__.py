"""Labels made in other tools, read so that a team can move its work to Newsroom. Pure Python:
no Django here (``annotations.datasets.label_imports`` stores what they read as gold).

``parse_labels(data, fmt=...)`` lazily yields ImportedDocument and LabelImportError; whatever is
wrong with the input is yielded as an error (origin "<origin>:<line or task number>", readable
message), never raised, and the next document is read. A document with any bad span (offsets
outside the text, text that differs from text[start:end]) is one error as a whole: importing
the rest of its labels would make incomplete gold. Only a wrong argument raises ValueError, at once.

Formats:
    newsroom      our JSONL export (annotations.datasets.formats.jsonl), read back losslessly
    label-studio  Label Studio JSON export (see label_studio)
    doccano       doccano JSONL export (see doccano)
    conll         CoNLL-2003 named entities, with the documents' own tokens (see conll)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from .base import ImportedDocument, ImportResult, LabelImportError
from .conll import parse_conll
from .doccano import parse_doccano
from .label_studio import DEFAULT_CHOICE_FIELDS, parse_label_studio
from .newsroom import parse_newsroom

__all__ = ["DEFAULT_CHOICE_FIELDS", "IMPORT_FORMATS", "ImportedDocument", "LabelImportError", "parse_labels"]

IMPORT_FORMATS = ("newsroom", "label-studio", "doccano", "conll")
# What a doccano category must be to count as the sentiment rather than a topic (the default scale).
DEFAULT_SENTIMENT_LABELS = ("negative", "neutral", "positive")


def parse_labels(
    data: bytes | str,
    *,
    fmt: str,
    origin: str = "upload",
    choice_fields: Mapping[str, str] | None = None,
    sentiment_labels: Collection[str] = DEFAULT_SENTIMENT_LABELS,
) -> Iterator[ImportResult]:
    """Lazily read labelled documents exported by another tool (or by us) from one file's contents.

    origin names the file in errors. choice_fields (Label Studio only) maps our fields
    "sentiment" and "topics" to the from_name of the choices that hold them. sentiment_labels
    (doccano only) are the categories that count as sentiment. Offsets are code points.
    """
    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"unknown label format {fmt!r}; choose one of: {', '.join(IMPORT_FORMATS)}")
    if not isinstance(data, (bytes, str)):
        raise ValueError(f"data must be bytes or str, not {type(data).__name__}")
    if fmt == "label-studio":
        return parse_label_studio(data, origin, _checked_fields(choice_fields))
    if fmt == "doccano":
        return parse_doccano(data, origin, sentiment_labels)
    if fmt == "conll":
        return parse_conll(data, origin)
    return parse_newsroom(data, origin)


def _checked_fields(choice_fields: Mapping[str, str] | None) -> dict[str, str]:
    """The choice field mapping, refused at once if it names a field we do not have."""
    fields = dict(DEFAULT_CHOICE_FIELDS if choice_fields is None else choice_fields)
    unknown = sorted(set(fields) - set(DEFAULT_CHOICE_FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s) in choice_fields: {', '.join(unknown)}; fields: sentiment, topics")
    if len(set(fields.values())) != len(fields):
        raise ValueError("choice_fields must map sentiment and topics to different from_names")
    return fields
