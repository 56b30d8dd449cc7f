"""What every learnable kind offers the training framework (``versions``), and the gold it learns from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ...models import Gold, GoldSplit, Project
from ..predictors.base import Predictor


@dataclass(frozen=True)
class Example:
    """One gold item as a kind learns from it: its id, text and the kind's label(s)."""

    item_id: int
    text: str
    label: Any


class LearnableKind(Protocol):
    """A label kind a project's gold can train. ``name`` is its key in ``KINDS`` and on
    ModelVersion rows; ``predictor_kind`` the predictor kind (settings.NEWSROOM_PREDICTORS)
    whose suggestions a live version serves (``project-entity-sentiment`` serves inside the entity
    predictors' suggestions instead, see ``entity_sentiment_serving``); ``score_key`` the figure
    promotion compares."""

    name: str
    predictor_kind: str
    score_key: str

    def examples(self, *, project: Project, side: GoldSplit) -> list[Example]:
        """The project's accepted gold on ``side`` of the split that carries this kind's labels, by item id."""

    def train(self, examples: list[Example], *, project: Project, settings: dict) -> Any:
        """A model fitted on ``examples`` only. Raises ValueError when they cannot train one."""

    def calibrate(self, model: Any, held_out: list[Example]) -> Any:
        """The model with what it may learn from held-out gold (topic thresholds), or unchanged."""

    def evaluate(self, model: Any, held_out: list[Example], *, project: Project) -> dict:
        """Figures on ``held_out`` (see ``metrics``), and a baseline's on the same items if any."""

    def to_bytes(self, model: Any) -> bytes: ...

    def from_bytes(self, data: bytes) -> Any: ...

    def predictor(self, model: Any, *, version: str) -> Predictor:
        """A predictor serving the model's suggestions through the pre-annotation pipeline."""


def accepted_gold(*, project: Project, side: GoldSplit):
    """The project's accepted gold on ``side``, by item id, with the article text."""
    return (Gold.objects.filter(item__project=project, item__gold_split=side, status=Gold.Status.ACCEPTED)
            .select_related("item__article").order_by("item_id"))
