"""Models a project trains on its own gold, proven on held-out gold and promoted only when better.

    base.py         what a learnable kind offers (examples, train, calibrate, evaluate, bytes, predictor)
    metrics.py      per-label precision/recall/F1, accuracy and macro-F1 (pure)
    sentiment.py    document sentiment on the project's scale (TF-IDF + logistic regression), beside VADER
    topics.py       the gold topic classifier with held-out-calibrated thresholds
    versions.py     ModelVersion rows: create (one training per project and kind), train, promote, roll back
    schedule.py     what beat starts (new gold since the last version) and the sweep of lost trainings
    serving.py      the predictor kinds that serve a project's live version (project-sentiment, ...)

Every kind trains on the train side of the project's fixed gold split (``Item.gold_split``) only;
its figures are on the held-out side only, and record which items and how many.

KINDS is the registry: a plain dict of kind name -> LearnableKind. Entities (``ner``) and entity
sentiment (``entity-sentiment``) register here as adapters of their pure models once they land.
"""

from .sentiment import SentimentKind
from .topics import TopicsKind

KINDS = {kind.name: kind for kind in (TopicsKind(), SentimentKind())}
KIND_CHOICES = [(name, name) for name in sorted(KINDS)]  # for serializers and the OpenAPI enum


def kind_get(name: str):
    """The learnable kind ``name``; ValueError naming the ones there are if unknown."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown model kind {name!r}; kinds are {sorted(KINDS)}.") from None
