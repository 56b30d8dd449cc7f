"""The tokens the token-based formats share (CoNLL, spaCy DocBin), and the fitting of gold spans onto them.

A document's tokens are its own when it came with them (ExportRecord.tokens: an imported CoNLL
file, token-level labels), else those of a spaCy tokenizer set to CoNLL-2003 conventions:
whitespace and punctuation separate tokens, hyphenated words stay whole (``1996-12-06``,
``Bre-X``, ``Jean-Luc``). Both formats read the same ``Words``, so the CoNLL and DocBin exports of
one release agree token for token.

spaCy is imported on first use, not at import time, so that code which only needs the format
registry (the web process listing formats) does not pay for loading it.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .records import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Every export is tokenised as English, whatever the article's language: a rule-based tokenizer
# that needs no download, and one tokenisation for the whole dataset so that CoNLL and spaCy
# exports of one release agree token for token.
LANGUAGE = "en"
_WHITESPACE = re.compile(r"\s")


@functools.cache
def pipeline() -> Language:
    """spacy.blank("en") with CoNLL-2003 tokens (see conll_infixes) and the rule-based sentencizer,
    built once per process."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank(LANGUAGE)
    nlp.tokenizer.infix_finditer = compile_infix_regex(conll_infixes(nlp.Defaults.infixes)).finditer
    nlp.add_pipe("sentencizer")
    return nlp


def conll_infixes(infixes) -> list[str]:
    """spaCy's English infix rules without the two that split on a hyphen inside a word.

    spaCy splits "Bre-X", "Jean-Luc" and "well-known" (letters around a hyphen) and "1996-12-06",
    "10-15" (digits around a hyphen); CoNLL-2003 keeps them whole. Dashes ("--", "—", "–") and
    the other operators between digits (+, *, ^) still split. Raises if spaCy's rules changed, so
    that an upgrade cannot quietly bring the split back.
    """
    from spacy.lang.char_classes import ALPHA, HYPHENS

    letters_hyphen = r"(?<=[{a}0-9])(?:{h})(?=[{a}])"
    digits_hyphen = r"(?<=[0-9])[+\-\*^](?=[0-9-])"
    replacements = {
        letters_hyphen.format(a=ALPHA, h=HYPHENS): letters_hyphen.format(a=ALPHA, h=_dashes(HYPHENS)),
        digits_hyphen: r"(?<=[0-9])[+\*^](?=[0-9-])",
    }
    rules = [str(rule) for rule in infixes]
    missing = [rule for rule in replacements if rule not in rules]
    if missing:
        raise RuntimeError(f"spaCy's English infix rules changed; not found: {missing}")
    return [replacements.get(rule, rule) for rule in rules]


def _dashes(hyphens: str) -> str:
    """spaCy's HYPHENS alternatives without the plain hyphen ("-"): longer dashes still split."""
    return "|".join(option for option in hyphens.split("|") if option != "-")


@dataclass(slots=True)
class Words:
    """A document's tokens without whitespace, as offsets, with the places a sentence may start.

    starts[i], ends[i]: the code-point offsets of word i. breaks[i]: a sentence starts at word i.
    own: the breaks are the document's own sentences, so an entity may not cross them (spaCy's
    breaks yield to an entity: a sentence never breaks inside one).
    """

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    breaks: list[bool] = field(default_factory=list)
    own: bool = False

    def __len__(self) -> int:
        return len(self.starts)


def document_words(text: str, tokens: list | None = None, doc: Doc | None = None) -> Words:
    """The words of a document: its own ``tokens`` when they are usable (see own_words), else
    spaCy's (``doc`` if given, the tokenizer's otherwise)."""
    if tokens:
        words = own_words(text, tokens)
        if words is not None:
            return words
    return spacy_words(doc if doc is not None else pipeline().make_doc(text), text)


def own_words(text: str, tokens: list) -> Words | None:
    """Words from a document's own sentences of [start, end] offsets; None unless every token lies
    inside text, after the one before, and holds no whitespace (a CoNLL column cannot)."""
    words = Words(own=True)
    position = 0
    try:
        for sentence in tokens:
            for index, (start, end) in enumerate(sentence):
                if not (position <= start < end <= len(text)) or _WHITESPACE.search(text, start, end):
                    return None
                words.starts.append(start)
                words.ends.append(end)
                words.breaks.append(index == 0)
                position = end
    except (TypeError, ValueError):  # not a list of sentences of [start, end] pairs of numbers
        return None
    return words if len(words) else None


def spacy_words(doc: Doc, text: str) -> Words:
    """The non-whitespace tokens of a spaCy Doc, a sentence break where spaCy's Sentencizer rule
    starts one and after every line break (headlines and datelines have no full stop).

    Reads token attributes as one array: creating a Python Token object per token cost more
    than tokenising.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

    rows = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).tolist()
    texts = [text[start:start + length] for start, length, _, _ in rows]
    sentence_start = sentence_starts(texts, [row[3] for row in rows])
    words = Words()
    pending_break = False
    for index, (start, length, is_space, _) in enumerate(rows):
        # A sentence start may fall on a whitespace token, which is no word: carry it over.
        pending_break = pending_break or sentence_start[index] or (bool(is_space) and "\n" in texts[index])
        if is_space:
            continue
        words.starts.append(start)
        words.ends.append(start + length)
        words.breaks.append(pending_break)
        pending_break = False
    return words


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


def sentences(words: Words, tags: list[str]) -> list[list[int]]:
    """Word indices grouped in sentences: a new one at each break, except inside an entity."""
    grouped: list[list[int]] = []
    for index, is_break in enumerate(words.breaks):
        if not grouped or (is_break and not tags[index].startswith("I-")):
            grouped.append([])
        grouped[-1].append(index)
    return grouped


@dataclass(slots=True)
class Alignment:
    """Gold spans fitted onto a document's words: those kept as entities and those left out."""

    kept: list[tuple[Span, int, int]] = field(default_factory=list)  # (span, first word, last word + 1),
    # in text order, never overlapping
    skipped: list[tuple[Span, str]] = field(default_factory=list)  # (span, "misaligned" | "overlapping")


def align_spans(words: Words, spans: tuple[Span, ...], text: str) -> Alignment:
    """Fit spans onto the words; never shift one: a span that does not fit is left out.

    A span is misaligned when it lies outside the text, its text differs from the text at its
    offsets, it has no label, an edge is not a word's edge (it cuts a token, or begins or ends
    on whitespace: spaCy refuses to train on those), or it crosses one of the document's own
    sentence breaks. Of overlapping spans the first is kept (earliest start, then longest), the
    others are "overlapping". Misaligned spans are judged first, so they never push out a good span.
    """
    alignment = Alignment()
    fitting: list[tuple[Span, int, int]] = []
    for span in spans:
        fitted = _fit(words, span, text)
        if fitted is None:
            alignment.skipped.append((span, "misaligned"))
        else:
            fitting.append((span, *fitted))
    fitting.sort(key=lambda found: (found[0].start, -found[0].end, found[0].label))
    kept_until = 0
    for span, first, stop in fitting:
        if span.start < kept_until:
            alignment.skipped.append((span, "overlapping"))
        else:
            alignment.kept.append((span, first, stop))
            kept_until = span.end
    return alignment


def _fit(words: Words, span: Span, text: str) -> tuple[int, int] | None:
    """(first word, last word + 1) exactly covering span, or None if there is none."""
    if not (0 <= span.start < span.end <= len(text)) or not span.label:
        return None
    if text[span.start : span.end] != span.text:
        return None
    first = bisect_left(words.starts, span.start)
    last = bisect_left(words.ends, span.end)
    if first >= len(words) or last >= len(words) or words.starts[first] != span.start:
        return None
    if words.ends[last] != span.end or last < first:
        return None
    if words.own and any(words.breaks[first + 1 : last + 1]):
        return None
    return first, last + 1


def bio_tags(words: Words, alignment: Alignment) -> list[str]:
    """One IOB2 tag per word: B-<label> at an entity's first word, I-<label> inside, O elsewhere.
    Whitespace in a label becomes "_", so that the tag stays one column."""
    tags = ["O"] * len(words)
    for span, first, stop in alignment.kept:
        label = "_".join(span.label.split())
        tags[first] = f"B-{label}"
        for index in range(first + 1, stop):
            tags[index] = f"I-{label}"
    return tags


def doc_from_words(text: str, words: Words) -> Doc:
    """A spaCy Doc whose text is exactly ``text`` and whose non-whitespace tokens are the words:
    the gaps between words become a trailing space or whitespace tokens, as spaCy's tokenizer
    makes them (any other text a document's own tokens leave out becomes a token of its own)."""
    from spacy.tokens import Doc

    tokens: list[str] = []
    spaces: list[bool] = []

    def gap(between: str) -> None:
        if between.startswith(" ") and tokens and not spaces[-1]:
            spaces[-1] = True
            between = between[1:]
        if between:
            tokens.append(between)
            spaces.append(False)

    position = 0
    for start, end in zip(words.starts, words.ends):
        gap(text[position:start])
        tokens.append(text[start:end])
        spaces.append(False)
        position = end
    gap(text[position:])
    return Doc(pipeline().vocab, words=tokens, spaces=spaces)
