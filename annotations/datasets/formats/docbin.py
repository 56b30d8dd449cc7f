"""spaCy DocBin (.spacy), ready for ``spacy train``: gold entities, topics and sentiment as cats.

Not streamable: a DocBin is one compressed message, written once at the end, so memory grows with
the export (about the size of its tokens, as compact arrays; the Doc objects are not kept).
Large releases belong in a worker, not a web request.

Per document: doc.text is the article text exactly; its tokens are the CoNLL export's (the
article's own, else spaCy's with CoNLL-2003 conventions, see nlp), plus the whitespace between
them, so ``spacy convert`` of the CoNLL export gives the same documents, words and entities.
doc.ents are the gold spans that fit the words (nlp.align_spans); tokens under a misaligned
span are marked *missing* rather than "outside", so training neither learns a wrong boundary
nor learns "not an entity" there. Sentence boundaries are not set (they are not gold, and
spacy train needs none). doc.cats holds every topic seen in the export (1.0 if in this
document's gold, else 0.0) and "sentiment:<value>" for every sentiment value seen (1.0 for the
gold one); a document whose gold has no sentiment has no sentiment cats (unknown, not "none of
them"). doc.user_data["article_id"] links back to the article, doc.user_data["labeled_by"] says
whose labels the document holds ("gold", or an annotator's username). Sentiment toward single entities
is not represented: it is only in the JSONL export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .base import Format
from .nlp import Alignment, Words, align_spans, doc_from_words, own_words, pipeline, spacy_words
from .records import ExportRecord, Labels

if TYPE_CHECKING:
    from spacy.tokens import Doc

SENTIMENT_PREFIX = "sentiment:"


class DocBinFormat(Format):
    """A .spacy file for spacy train; documents without gold are left out."""

    name = "spacy"
    media_type = "application/octet-stream"
    extension = "spacy"
    streaming = False
    every_item = False  # an article without gold would teach "no entities here"

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield the whole DocBin as one bytes object once every record is read."""
        from spacy.tokens import DocBin

        self._start()
        nlp = pipeline()
        docbin = DocBin(store_user_data=True)
        categories: set[str] = set()
        for record in records:
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
                continue
            doc, words = _doc_and_words(nlp, record)
            self._set_entities(record, doc, words)
            doc.cats = _positive_cats(record.gold)
            categories.update(_categories(record.gold))
            doc.user_data["article_id"] = record.article_id
            doc.user_data["labeled_by"] = record.labeled_by
            docbin.add(doc)
            self.summary["documents"] += 1
        _add_negative_cats(docbin.cats, categories)
        yield docbin.to_bytes()

    def _set_entities(self, record: ExportRecord, doc: Doc, words: Words) -> None:
        """doc.ents from the gold spans that fit; the others counted, the misaligned marked missing."""
        alignment = align_spans(words, record.gold.spans, record.text)
        for span, reason in alignment.skipped:
            self._skipped(record.article_id, span, reason)
        self.summary["spans"] += len(alignment.kept)
        entities = [doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
                    for span, _, _ in alignment.kept]
        doc.set_ents(entities, missing=_missing(doc, alignment, entities), default="outside")


def _doc_and_words(nlp, record: ExportRecord) -> tuple[Doc, Words]:
    """The record's Doc and its words: on the article's own tokens when usable, else the tokenizer's
    (the tokenizer alone: sentence boundaries are not gold, and spacy train needs none)."""
    words = own_words(record.text, record.tokens) if record.tokens else None
    if words is not None:
        return doc_from_words(record.text, words), words
    doc = nlp.make_doc(record.text)
    return doc, spacy_words(doc, record.text)


def _missing(doc: Doc, alignment: Alignment, entities: list) -> list:
    """One-token spans under misaligned gold spans, except tokens already inside a kept entity."""
    taken = {index for doc_span in entities for index in range(doc_span.start, doc_span.end)}
    missing: set[int] = set()
    for span, reason in alignment.skipped:
        if reason != "misaligned" or not (0 <= span.start < span.end <= len(doc.text)):
            continue
        expanded = doc.char_span(span.start, span.end, alignment_mode="expand")
        if expanded is not None:
            missing.update(range(expanded.start, expanded.end))
    return [doc[index : index + 1] for index in sorted(missing - taken)]


def _categories(gold: Labels) -> list[str]:
    """The cats names this document's gold uses."""
    sentiment = [SENTIMENT_PREFIX + gold.sentiment] if gold.sentiment else []
    return [*gold.topics, *sentiment]


def _positive_cats(gold: Labels) -> dict[str, float]:
    return dict.fromkeys(_categories(gold), 1.0)


def _add_negative_cats(all_cats: list[dict[str, float]], categories: set[str]) -> None:
    """Give every document 0.0 for each category it lacks (sentiment only where it has one).

    The set of categories is known only at the end, so this edits the cats DocBin keeps per
    document (its public ``cats`` list) rather than holding the Docs until then.
    """
    topics = sorted(name for name in categories if not name.startswith(SENTIMENT_PREFIX))
    sentiments = sorted(name for name in categories if name.startswith(SENTIMENT_PREFIX))
    for cats in all_cats:
        has_sentiment = any(name.startswith(SENTIMENT_PREFIX) for name in cats)
        for name in topics + (sentiments if has_sentiment else []):
            cats.setdefault(name, 0.0)
