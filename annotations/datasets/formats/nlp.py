"""The spaCy pipeline the token-based formats share, and the fitting of gold spans onto its tokens.

spaCy is imported on first use, not at import time, so that code which only needs the format
registry (the web process listing formats) does not pay for loading it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .records import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as DocSpan

# Every export is tokenised as English, whatever the article's language: a rule-based tokenizer
# that needs no download, and one tokenisation for the whole dataset so that CoNLL and spaCy
# exports of one release agree token for token.
LANGUAGE = "en"


@functools.cache
def pipeline() -> Language:
    """spacy.blank("en") with the rule-based sentencizer, built once per process."""
    import spacy

    nlp = spacy.blank(LANGUAGE)
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_starts(texts: list[str], is_punct: list[int]) -> list[bool]:
    """Sentence starts by the rule of spaCy's Sentencizer (same punctuation characters), computed
    over plain token texts: running the component creates a Python object per token."""
    from spacy.pipeline import Sentencizer

    punct_chars = _punct_chars(Sentencizer)
    starts = [False] * len(texts)
    if not texts:
        return starts
    start, seen_period = 0, False
    for index, token in enumerate(texts):
        in_punct_chars = token in punct_chars
        if seen_period and not is_punct[index] and not in_punct_chars:
            starts[start] = True
            start, seen_period = index, False
        elif in_punct_chars:
            seen_period = True
    starts[start] = True
    return starts


@functools.cache
def _punct_chars(sentencizer_class) -> frozenset[str]:
    return frozenset(sentencizer_class.default_punct_chars)


@dataclass(slots=True)
class Alignment:
    """Gold spans fitted onto a Doc's tokens: those kept as entities and those left out."""

    kept: list[tuple[Span, DocSpan]] = field(default_factory=list)  # in text order, never overlapping
    skipped: list[tuple[Span, str]] = field(default_factory=list)  # (span, "misaligned" | "overlapping")


def align_spans(doc: Doc, spans: tuple[Span, ...], text: str | None = None) -> Alignment:
    """Fit spans onto doc's tokens; never shift one: a span that does not fit is left out.

    A span is misaligned when it lies outside the text, its text differs from the text at its
    offsets, an edge cuts a token, or an edge is a whitespace token (spaCy refuses to train on
    those). Of overlapping spans the first is kept (earliest start, then longest), the others
    are "overlapping". Misaligned spans are judged first, so they never push out a good span.
    """
    alignment = Alignment()
    fitting: list[tuple[Span, DocSpan]] = []
    text = doc.text if text is None else text  # Doc.text rebuilds the string token by token
    for span in spans:
        doc_span = _fit(doc, span, text)
        if doc_span is None:
            alignment.skipped.append((span, "misaligned"))
        else:
            fitting.append((span, doc_span))
    fitting.sort(key=lambda pair: (pair[0].start, -pair[0].end, pair[0].label))
    kept_until = 0
    for span, doc_span in fitting:
        if span.start < kept_until:
            alignment.skipped.append((span, "overlapping"))
        else:
            alignment.kept.append((span, doc_span))
            kept_until = span.end
    return alignment


def _fit(doc: Doc, span: Span, text: str) -> DocSpan | None:
    """The token span exactly covering span, with its label, or None if there is none."""
    if not (0 <= span.start < span.end <= len(text)) or not span.label:
        return None
    if text[span.start : span.end] != span.text:
        return None
    doc_span = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
    if doc_span is None or doc_span[0].is_space or doc_span[-1].is_space:
        return None
    return doc_span
