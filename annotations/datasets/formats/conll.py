"""CoNLL-2003 named entities with BIO tags, for token classifiers (Hugging Face, flair, spaCy).

Layout, per document::

    -DOCSTART- -X- O O
    <blank line>
    Lowmere -X- _ B-LOC
    voted -X- _ O
    ...
    <blank line after every sentence>

Four columns separated by one space, as in CoNLL-2003: token, part of speech, chunk, entity tag.
We have no part-of-speech or chunk tags, so those columns hold the placeholders "-X-" and "_".
The document line is the one ``spacy convert`` (its CoNLL-NER converter) recognises, so that it
makes one document per article. Tags are IOB2 ("BIO": every entity starts with B-). Lines end
with "\\n"; the file is UTF-8 without a byte-order mark.

Tokens and sentences are the article's own when it came with them (an imported CoNLL file);
otherwise tokens follow CoNLL-2003 conventions (nlp.pipeline: whitespace and punctuation split,
hyphenated words stay whole) and sentences come from spaCy's rule-based sentencizer, plus a
break at every line break (headlines and datelines have no full stop), never inside an entity.
Entity labels have any whitespace replaced by "_" to keep the columns intact. With
``labeler_column`` (exports of annotations, or of gold and annotations), the chunk column, which
spaCy's converter ignores, holds whose labels the document's tags are: "gold" or the
annotator's username (usernames have no whitespace). A gold span that
does not fall on token boundaries is left out (its tokens tagged O), never shifted; see
nlp.align_spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .base import Format
from .nlp import align_spans, bio_tags, document_words, pipeline, sentences
from .records import ExportRecord

# The document separator of spaCy's CoNLL-NER converter (spacy/training/converters/conll_ner_to_docs.py).
DOCSTART = "-DOCSTART- -X- O O"
# The part-of-speech and chunk columns we have no values for.
POS_FILLER = "-X-"
FILLER = f"{POS_FILLER} _"


class ConllFormat(Format):
    """CoNLL-2003 BIO, one document after another; documents without gold are left out."""

    name = "conll"
    media_type = "text/plain; charset=utf-8"
    extension = "conll"
    every_item = False  # an article without gold would teach "no entities here"

    def __init__(self, *, labeler_column: bool = False) -> None:
        super().__init__()
        self.labeler_column = labeler_column

    def write(self, records: Iterable[ExportRecord]) -> Iterator[bytes]:
        """Yield one UTF-8 block per document with gold; constant memory."""
        self._start()
        pipeline()  # built before the first record, once per process
        for record in records:
            if record.gold is None:
                self.summary["documents_without_gold"] += 1
                continue
            yield self._document_block(record).encode("utf-8")
            self.summary["documents"] += 1

    def _document_block(self, record: ExportRecord) -> str:
        """The lines of one document: its DOCSTART, then its sentences, each followed by a blank line."""
        text = record.text
        words = document_words(text, record.tokens)
        alignment = align_spans(words, record.gold.spans, text)
        for span, reason in alignment.skipped:
            self._skipped(record.article_id, span, reason)
        self.summary["spans"] += len(alignment.kept)
        tags = bio_tags(words, alignment)
        lines = [DOCSTART, ""]
        starts, ends = words.starts, words.ends
        filler = f"{POS_FILLER} {record.labeled_by}" if self.labeler_column else FILLER
        for sentence in sentences(words, tags):
            lines.extend(f"{text[starts[index]:ends[index]]} {filler} {tags[index]}" for index in sentence)
            lines.append("")
        return "\n".join(lines) + "\n"
