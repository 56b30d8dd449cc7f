"""Labeling's models, one module per concern; every model is importable from here, as Django expects.

- ``projects``: projects and their schema (members and roles, entity types, the topic tree)
- ``items``: items, the fixed gold split, assignments, each project's item counts
- ``labels``: annotations and gold with their spans and provenance, send-backs
- ``preannotation``: predictions, a project's predictors, runs, failures, suggestion outcomes,
  topic classifiers
- ``model_versions``: versions of the models a project trains on its own gold
- ``releases``: versioned dataset builds
- ``agreement``: each project's stored agreement report
"""

from .agreement import ProjectAgreement
from .items import HELD_OUT_ONE_IN, Assignment, GoldSplit, Item, ProjectItemCounts, item_draw, item_draw_sql
from .labels import Annotation, AnnotationSpan, Gold, GoldSpan, LabelFields, LabelOrigin, SendBack, SpanFields
from .model_versions import ModelVersion
from .preannotation import (Prediction, PredictionFailure, PreannotationRun, ProjectPredictor, SuggestionOutcome,
                            TopicClassifier)
from .projects import (DEFAULT_SENTIMENT_SCALE, MAX_OVERLAP, EntityType, Membership, Project, Topic,
                       default_sentiment_scale)
from .releases import Release, release_upload_to

__all__ = [
    "DEFAULT_SENTIMENT_SCALE", "HELD_OUT_ONE_IN", "MAX_OVERLAP", "Annotation", "AnnotationSpan", "Assignment",
    "EntityType", "Gold", "GoldSpan", "GoldSplit", "Item", "LabelFields", "LabelOrigin", "Membership",
    "ModelVersion", "Prediction", "PredictionFailure", "PreannotationRun", "Project", "ProjectAgreement",
    "ProjectItemCounts",
    "ProjectPredictor",
    "Release", "SendBack", "SpanFields", "SuggestionOutcome", "Topic", "TopicClassifier",
    "default_sentiment_scale", "item_draw", "item_draw_sql", "release_upload_to",
]
