"""The predictor kinds that serve a project's live trained version through the pre-annotation
pipeline (settings.NEWSROOM_PREDICTORS: ``project-sentiment``, ``project-ner``). Predictions are
versioned ``model-vN``, so every version's suggestions sit beside the others'. A live
entity-sentiment version (``project-entity-sentiment``) serves through the entity predictors
instead, see ``entity_sentiment_serving``."""

from functools import lru_cache

from ...models import ModelVersion
from ..predictors.base import Predictor, PredictorError


class ProjectModelPredictor:
    """Built per project by the registry (``for_project``): the live version of ``learning_kind``."""

    learning_kind = ""

    @classmethod
    def for_project(cls, project_id: int, options: dict) -> Predictor:
        """The project's live version as a predictor. Raises PredictorError while it has none."""
        live = (ModelVersion.objects.filter(project_id=project_id, kind=cls.learning_kind, live=True)
                .only("pk").first())
        if live is None:
            raise PredictorError(f"No live {cls.learning_kind} model in this project yet; train one first "
                                 f"(POST /api/projects/{project_id}/models/).")
        return live_version_predictor(live.pk)


class ProjectSentimentPredictor(ProjectModelPredictor):
    learning_kind = "sentiment"


class ProjectNerPredictor(ProjectModelPredictor):
    learning_kind = "ner"


def live_version(*, project_id: int, kind: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(project_id=project_id, kind=kind, live=True).only("pk").first()


@lru_cache(maxsize=32)
def live_version_predictor(version_id: int) -> Predictor:
    """Loaded from storage once per process and version (a done version never changes)."""
    from .kinds import kind_get
    from .versions import model_version_load

    version = ModelVersion.objects.get(pk=version_id)
    return kind_get(version.kind).predictor(model_version_load(version), version=version.predictor_version)
