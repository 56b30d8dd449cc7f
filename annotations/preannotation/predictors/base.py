"""The predictor interface: a name, a version, and a batch call from texts to suggestions.

A predictor knows nothing of projects or the database. It returns suggestions in its own
label vocabulary (spaCy's OntoNotes labels, topic names, a sentiment polarity); the
registry maps them onto a project's entity types, topics and sentiment scale.

Offsets are code-point indices into the text given, end-exclusive, as everywhere else.
"""

from dataclasses import dataclass, field
from typing import Protocol


class PredictorError(Exception):
    """A predictor could not produce suggestions (bad response, timeout, missing model).

    The pipeline records the message against the items of the batch; it never crashes a worker.
    """


@dataclass(frozen=True)
class TopicDefinition:
    """A topic a predictor may suggest, as the project defines it."""

    name: str
    description: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class PredictionContext:
    """What a predictor may know of the project: its topics (for topic suggestions)."""

    topics: tuple[TopicDefinition, ...] = ()


@dataclass
class SpanSuggestion:
    start: int
    end: int
    label: str              # the predictor's label, e.g. "PERSON", "GPE"
    text: str               # text[start:end]
    score: float = 1.0      # confidence in [0, 1]
    entity: int | None = None  # index into Suggestions.entities: mentions of one thing share it


@dataclass
class EntitySuggestion:
    """One thing named in the article, e.g. "Kim Jong Un", "Mr. Kim" and "Kim" together."""

    name: str               # the longest mention
    label: str
    mentions: list[int] = field(default_factory=list)  # indices into Suggestions.spans
    sentiment: float | None = None  # polarity toward it in [-1, 1], from the sentences that mention it
    # Or a value of the project's sentiment scale given directly, with its probability: what a
    # project's trained entity-sentiment version says (``learning.entity_sentiment_serving``).
    sentiment_label: str | None = None
    sentiment_score: float | None = None


@dataclass
class Suggestions:
    """Everything a predictor suggests for one text; a predictor fills what it knows."""

    spans: list[SpanSuggestion] = field(default_factory=list)
    entities: list[EntitySuggestion] = field(default_factory=list)
    sentiment: float | None = None          # document polarity in [-1, 1]
    sentiment_score: float | None = None    # confidence in [0, 1]
    topics: dict[str, float] = field(default_factory=dict)  # topic name -> score in [0, 1]
    details: dict = field(default_factory=dict)  # anything worth keeping (per-sentence scores, ...)
    # How unsure the model is of this text as a whole, 0 (sure) to 1: what an uncertainty-ordered
    # queue serves first. Only a project's live document-sentiment version says it (for now).
    uncertainty: float | None = None


class Predictor(Protocol):
    name: str
    version: str

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        """One Suggestions per text, in order. Raise PredictorError if the batch cannot be done."""
