"""Which predictors a project uses: settings.NEWSROOM_PREDICTORS names the kinds this
installation offers, a project's ProjectPredictor rows choose among them.

The "topics" kind is special: once the project has a live topics version (``learning``,
versioned "model-vN") it suggests topics instead of the name/description similarity, at the
per-topic thresholds calibrated for it, and its predictions sit beside the older ones. A project
with a topic classifier from before the learning framework (versioned "gold-vN", no longer
trained) and no live topics version yet keeps suggesting with that classifier. The entity predictors (settings.NEWSROOM_ENTITY_SENTIMENT_PREDICTORS) take the
sentiment toward their entities from the project's live entity-sentiment version, if any
(``learning.entity_sentiment_serving``).
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from ...models import Project, ProjectPredictor, TopicClassifier
from .base import PredictionContext, Predictor, PredictorError, TopicDefinition

TOPICS_KIND = "topics"

logger = logging.getLogger(__name__)


@dataclass
class ConfiguredPredictor:
    """A predictor ready to run for one project, with the project's mapping of its labels."""

    config: ProjectPredictor
    predictor: Predictor

    @property
    def name(self) -> str:
        return self.config.kind

    @property
    def version(self) -> str:
        return self.predictor.version

    @property
    def options(self) -> dict:
        """The mapping options: the project's, and for a trained topic classifier its calibrated
        thresholds, which replace ``min_topic_score`` and ``max_topics`` (the suggestions must
        be the ones its held-out precision was measured on)."""
        thresholds = getattr(self.predictor, "topic_thresholds", None)
        return self.config.options if thresholds is None else {**self.config.options, "topic_thresholds": thresholds}


def available_kinds() -> list[str]:
    return sorted(settings.NEWSROOM_PREDICTORS)


def project_predictors(*, project: Project, kinds: list[str] | None = None,
                       skip_broken: bool = False) -> list[ConfiguredPredictor]:
    """The project's enabled predictors (only ``kinds`` if given), built with their options.

    A predictor that cannot be built raises PredictorError, or is logged and left out
    with ``skip_broken`` (background work must not stop for one misconfigured predictor).
    """
    configs = project.predictors.filter(enabled=True)
    if kinds:
        configs = configs.filter(kind__in=kinds)
    configured = []
    for config in configs:
        try:
            configured.append(ConfiguredPredictor(config=config, predictor=predictor_build(config)))
        except PredictorError as exc:
            if not skip_broken:
                raise
            logger.warning("Project %s: predictor %s left out: %s", project.pk, config.kind, exc)
    return configured


def predictor_build(config: ProjectPredictor) -> Predictor:
    """An instance of the configured predictor. Raises PredictorError for an unknown kind."""
    from ..learning.entity_sentiment_serving import with_live_entity_sentiment

    return with_live_entity_sentiment(_predictor_build(config), kind=config.kind, project_id=config.project_id)


def _predictor_build(config: ProjectPredictor) -> Predictor:
    if config.kind == TOPICS_KIND:
        from ..learning.serving import live_version, live_version_predictor

        if (live := live_version(project_id=config.project_id, kind=TOPICS_KIND)) is not None:
            return live_version_predictor(live.pk)
        classifier = TopicClassifier.objects.filter(project_id=config.project_id).only("id", "version").first()
        if classifier is not None:
            return _trained_topic_predictor(classifier.pk, classifier.version)
    path = settings.NEWSROOM_PREDICTORS.get(config.kind)
    if path is None:
        raise PredictorError(f"Unknown predictor {config.kind!r}; this installation offers {available_kinds()}.")
    predictor_class = import_string(path)
    if hasattr(predictor_class, "for_project"):  # a project's own trained version (learning.serving)
        return predictor_class.for_project(config.project_id, config.options)
    if hasattr(predictor_class, "from_options"):
        return predictor_class.from_options(config.options)
    return predictor_class()


def trained_topic_version(version: int) -> str:
    """The prediction version of topic classifier ``version`` (predictor name: TOPICS_KIND)."""
    return f"gold-v{version}"


@lru_cache(maxsize=16)
def _trained_topic_predictor(classifier_id: int, version: int) -> Predictor:
    """Unpickled once per worker process and classifier version (a version never changes)."""
    from .topics import TrainedTopicModel, TrainedTopicPredictor

    blob, thresholds = TopicClassifier.objects.values_list("model", "thresholds").get(pk=classifier_id)
    return TrainedTopicPredictor(TrainedTopicModel.from_bytes(bytes(blob)), version=trained_topic_version(version),
                                 topic_thresholds={int(pk): value for pk, value in thresholds.items()})


def prediction_context(project: Project) -> PredictionContext:
    topics = project.topics.select_related("parent")
    return PredictionContext(topics=tuple(
        TopicDefinition(name=topic.name, description=topic.description,
                        parent=topic.parent.name if topic.parent else None) for topic in topics))
