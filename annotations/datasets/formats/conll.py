"""CoNLL-2003 named entities with BIO tags, for token classifiers (Hugging Face, flair).

Layout, per document::

    -DOCSTART- -X- -X- O
    <blank line>
    Lowmere -X- _ B-LOC
    voted -X- _ O
    ...
    <blank line between sentences>

Four space-separated columns as in CoNLL-2003: token, part of speech, chunk, entity tag. We have
no part-of-speech or chunk tags, so those columns hold the usual placeholders "-X-" and "_".
Tags are IOB2 ("BIO": every entity starts with B-). Tokens come from spacy.blank("en");
whitespace tokens are left out, so a token never contains whitespace. Sentences come from
spaCy's rule-based sentencizer, plus a break at every line break (headlines and datelines
have no full stop); a sentence never breaks inside an entity. Entity labels have any
whitespace replaced by "_" to keep the columns intact. A gold span that does not fall on token
boundaries is left out (its tokens tagged O), never shifted; see nlp.align_spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .base import Format
from .nlp import align_spans, pipeline, sentence_starts
from .records import ExportRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc

DOCSTART = "-DOCSTART- -X- -X- O"
# The part-of-speech and chunk columns we have no values for.
FILLER = "-X- _"
_WHITESPACE = re.compile(r"\s+")


class ConllFormat(Format):
    """CoNLL-2003 BIO, one document after another; documents without gold are left out."""

    name = "conll"
    media_type = "text/plain; charset=utf-8"
    extension = "conll"

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield one UTF-8 block per document with gold; constant memory."""
        self._start()
        nlp = pipeline()
        for record in records:
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
                continue
            doc = nlp.make_doc(record.text)  # the tokenizer only: sentences come from _sentences
            tags = self._tags(record, doc)
            yield _document_block(doc, record.text, tags).encode("utf-8")
            self.summary["documents"] += 1

    def _tags(self, record: ExportRecord, doc: Doc) -> list[str]:
        """One BIO tag per token of doc, from the record's gold spans that fit; the rest counted."""
        alignment = align_spans(doc, record.gold.spans, record.text)
        for span, reason in alignment.skipped:
            self._skipped(record.article_id, span, reason)
        self.summary["spans"] += len(alignment.kept)
        tags = ["O"] * len(doc)
        for span, doc_span in alignment.kept:
            label = _WHITESPACE.sub("_", span.label)
            tags[doc_span.start] = f"B-{label}"
            for index in range(doc_span.start + 1, doc_span.end):
                tags[index] = f"I-{label}"
        return tags


def _document_block(doc: Doc, text: str, tags: list[str]) -> str:
    """The lines of one document: its DOCSTART, then its sentences, each followed by a blank line."""
    lines = [DOCSTART, ""]
    for sentence in _sentences(doc, text, tags):
        lines.extend(f"{token} {FILLER} {tags[index]}" for index, token in sentence)
        lines.append("")
    return "\n".join(lines) + "\n"


def _sentences(doc: Doc, text: str, tags: list[str]) -> Iterator[list[tuple[int, str]]]:
    """The non-whitespace tokens of doc as (index, text), grouped in sentences.

    Reads token attributes as one array: creating a Python Token object per token cost more
    than tokenising.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    rows = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).tolist()
    tokens = [text[start:start + length] for start, length, _, _ in rows]
    starts = sentence_starts(tokens, [row[3] for row in rows])
    sentence: list[tuple[int, str]] = []
    pending_break = False
    for index, (token, (_, _, is_space, _)) in enumerate(zip(tokens, rows)):
        # A sentence start may fall on a whitespace token, which is not written: carry it over.
        pending_break = pending_break or starts[index] or (bool(is_space) and "\n" in token)
        if is_space:
            continue
        if pending_break and sentence and not tags[index].startswith("I-"):
            yield sentence
            sentence = []
        pending_break = False
        sentence.append((index, token))
    if sentence:
        yield sentence
