"""The learnable kinds of this installation: a plain dict of kind name -> LearnableKind.

Entities (``ner``) and entity sentiment (``entity-sentiment``) are adapters of the pure learners
``ner.NerModel`` and ``entity_sentiment.EntitySentimentModel`` (``entities``); a live version
serves through a ``project-*`` predictor kind in settings.NEWSROOM_PREDICTORS (``serving``).
"""

from .entities import EntitySentimentKind, NerKind
from .sentiment import SentimentKind
from .topics import TopicsKind

KINDS = {kind.name: kind for kind in (TopicsKind(), SentimentKind(), NerKind(), EntitySentimentKind())}
KIND_CHOICES = [(name, name) for name in sorted(KINDS)]  # for serializers and the OpenAPI enum


def kind_get(name: str):
    """The learnable kind ``name``; ValueError naming the ones there are if unknown."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown model kind {name!r}; kinds are {sorted(KINDS)}.") from None
