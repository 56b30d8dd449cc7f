"""What the bulk actions of several admin pages share: reporting an outcome as messages, and
queueing pre-annotation and trainings. The rules themselves live in ``queue``, ``services`` and ``preannotation.runs``."""

from collections import Counter

from django.contrib import messages
from django.db.models import QuerySet

from ..models import Item, PreannotationRun, Project


def report(request, done: str, skipped: Counter) -> None:
    """``done`` as a success message, and the skipped rows grouped by reason as a warning."""
    messages.success(request, done)
    if skipped:
        reasons = "; ".join(f"{count} because {reason}" for reason, count in skipped.most_common())
        messages.warning(request, f"Skipped {sum(skipped.values())}: {reasons}.")


def preannotate(request, scopes: list[tuple[Project, QuerySet[Item] | None]], *, replace: bool) -> None:
    """Queue pre-annotation of each (project, items or None for all) and say what was queued."""
    # Imported on use: pre-annotation loads the predictor registry, which no other admin page needs.
    from ..preannotation.predictors.base import PredictorError
    from ..preannotation.runs import preannotation_enqueue

    for project, items in scopes:
        try:
            runs = preannotation_enqueue(project=project, items=items, trigger=PreannotationRun.Trigger.MANUAL,
                                         replace=replace)
        except PredictorError as exc:
            messages.error(request, f"{project}: {exc}")
            continue
        if runs:
            described = ", ".join(f"{run.predictor} {run.version} on {run.item_count} items" for run in runs)
            messages.success(request, f"{project}: queued {described}.")
        else:
            messages.info(request, f"{project}: every item already has the current predictors' suggestions.")


def train_models(request, projects: list[Project]) -> None:
    """Start a training of every learnable kind in each project; say what was queued or refused."""
    from newsroom.errors import DomainError

    from ..preannotation.learning.kinds import KINDS
    from ..preannotation.learning.versions import model_version_create

    for project in projects:
        for kind in sorted(KINDS):
            try:
                version = model_version_create(project=project, kind=kind)
            except DomainError as exc:
                messages.warning(request, f"{project}: {kind}: {exc}")
                continue
            messages.success(request, f"{project}: {kind} v{version.version} queued for training.")
