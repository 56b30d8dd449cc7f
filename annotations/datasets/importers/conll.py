"""CoNLL-2003 named entities: documents, sentences and tagged tokens, as text with spans and tokens.

Read:
    ``-DOCSTART-`` lines (any columns after it: ``-DOCSTART- -X- O O``, ``-DOCSTART- -X- -X- O``)
        start a document; lines before the first one, if any, are a document too.
    blank lines end a sentence.
    token lines: columns separated by spaces or tabs, the token first and the entity tag last
        (2 columns: token and tag; 4 as in CoNLL-2003: token, part of speech, chunk, tag; the
        columns between are not kept). Tags are O, B-<label> and I-<label>, as BIO (IOB2) or as
        IOB1, where I- starts an entity unless it follows a token of the same entity type.

Each document becomes one text laid out so that the offsets are exact and the layout
deterministic: tokens separated by one space, sentences by one line break ("\\n"). Its spans
come from the tags (an entity ends at the end of its sentence), and its tokens are kept
(ImportedDocument.tokens: sentences of [start, end]), so that our CoNLL export of the imported
document writes the same tokens, sentences and tags. A document without tokens is skipped. The
file names no annotator (annotator None) and carries no sentiment or topics.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..formats.records import Labels, Span
from .base import ImportedDocument, ImportResult, LabelImportError, Problems, decode

DOCSTART = "-DOCSTART-"
TAG_PREFIXES = ("B-", "I-")
TOKEN_SEPARATOR = " "
SENTENCE_SEPARATOR = "\n"


@dataclass(slots=True)
class _Document:
    """One document's tagged tokens, sentence by sentence, as read so far."""

    line: int  # where it starts, for errors
    sentences: list[list[tuple[str, str]]] = field(default_factory=lambda: [[]])  # [(token, tag)]
    problems: Problems = field(default_factory=Problems)

    def add(self, number: int, columns: list[str]) -> None:
        if len(columns) < 2:
            self.problems.add(f"line {number} has no tag column")
            return
        token, tag = columns[0], columns[-1]
        if tag != "O" and not (tag.startswith(TAG_PREFIXES) and tag[2:]):
            self.problems.add(f"line {number}: tag {tag!r} is none of O, B-<label>, I-<label>")
            return
        self.sentences[-1].append((token, tag))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    @property
    def empty(self) -> bool:
        return not any(self.sentences) and not self.problems.messages


def parse_conll(data: bytes | str, origin: str) -> Iterator[ImportResult]:
    """One document per -DOCSTART- section that has tokens, or the error naming its bad lines."""
    try:
        text = decode(data)
    except UnicodeDecodeError as error:
        yield LabelImportError(origin, f"not UTF-8 text (byte {error.start + 1})")
        return
    document = _Document(line=1)
    for number, line in enumerate(text.split("\n"), start=1):
        columns = line.split()
        if columns and columns[0] == DOCSTART:
            if not document.empty:
                yield _imported(document, origin)
            document = _Document(line=number)
        elif not columns:
            document.end_sentence()
        else:
            document.add(number, columns)
    if not document.empty:
        yield _imported(document, origin)


def _imported(document: _Document, origin: str) -> ImportResult:
    where = f"{origin}:{document.line}"
    if document.problems.messages:
        return document.problems.error(where, f"the document at line {document.line}")
    text, spans, tokens = _laid_out([sentence for sentence in document.sentences if sentence])
    return ImportedDocument(text=text, labels=Labels(sentiment=None, topics=(), spans=tuple(spans)), tokens=tokens,
                            origin=where)


def _laid_out(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[Span], list[list[list[int]]]]:
    """The text (tokens joined by a space, sentences by a line break), its spans and its tokens."""
    parts: list[str] = []
    spans: list[Span] = []
    tokens: list[list[list[int]]] = []
    position = 0
    for number, sentence in enumerate(sentences):
        if number:
            parts.append(SENTENCE_SEPARATOR)
            position += len(SENTENCE_SEPARATOR)
        offsets: list[list[int]] = []
        entity: list = []  # [start, end, label] of the entity being read
        for index, (token, tag) in enumerate(sentence):
            if index:
                parts.append(TOKEN_SEPARATOR)
                position += len(TOKEN_SEPARATOR)
            start, end = position, position + len(token)
            parts.append(token)
            position = end
            offsets.append([start, end])
            entity = _tagged(entity, tag, start, end, spans)
        _close(entity, spans)
        tokens.append(offsets)
    text = "".join(parts)
    return text, [Span(start, end, label, text[start:end]) for start, end, label in spans], tokens


def _tagged(entity: list, tag: str, start: int, end: int, spans: list) -> list:
    """The entity being read after a token [start, end) tagged tag; a finished one goes to spans."""
    label = tag[2:]
    if tag.startswith("I-") and entity and entity[2] == label:
        entity[1] = end  # continues (BIO, and IOB1 alike)
        return entity
    _close(entity, spans)
    return [start, end, label] if tag != "O" else []  # B-, or an I- that starts one (IOB1)


def _close(entity: list, spans: list) -> None:
    if entity:
        spans.append(tuple(entity))
