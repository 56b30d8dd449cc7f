"""The learning section of the dashboard: per learnable kind, every trained version's held-out
score against the number of gold items it trained on, beside its baseline's score on the same
items and the live version's at the time, and which version serves suggestions now.

Reads only: one query for every version of the project. Rows out; ``views`` draws them.
"""

from ...models import ModelVersion, Project
from ...preannotation.learning.kinds import KINDS
from .charts import CurvePoint, learning_curve_chart

# What each kind's headline figure (its ``score_key``, the one promotion compares) is called.
SCORE_NAMES = {"f1": "Span F1", "macro_f1": "Macro-F1", "micro_f1": "Micro-F1", "accuracy": "Accuracy"}
# Figures shown beside the score where a kind's versions record them (never the score twice).
OTHER_FIGURES = {"accuracy": "Accuracy", "macro_f1": "Macro-F1", "micro_f1": "Micro-F1"}
# The kinds as a manager knows them, in the order shown.
KIND_TITLES = {"ner": "Entities", "entity-sentiment": "Entity sentiment", "sentiment": "Document sentiment",
               "topics": "Topics"}


def learning_curves(*, project: Project) -> list[dict]:
    """One entry per learnable kind: its title, score name, baseline name, the rows of its done
    versions (oldest first) and the versions that did not finish (pending, training, failed)."""
    versions = ModelVersion.objects.filter(project=project).order_by("kind", "version").defer(
        "held_out_on", "settings", "error")  # trained_on is needed: its length is the curve's x
    by_kind: dict[str, list[ModelVersion]] = {}
    for version in versions:
        by_kind.setdefault(version.kind, []).append(version)
    return [_kind_curve(name, by_kind.get(name, [])) for name in _kind_order()]


def _kind_order() -> list[str]:
    return [name for name in KIND_TITLES if name in KINDS] + sorted(set(KINDS) - set(KIND_TITLES))


def _kind_curve(name: str, versions: list[ModelVersion]) -> dict:
    score_key = KINDS[name].score_key
    done = [version for version in versions if version.status == ModelVersion.Status.DONE]
    others = [key for key in OTHER_FIGURES
              if key != score_key and any(version.figures.get(key) is not None for version in done)]
    rows = [_version_row(version, score_key, others) for version in done]
    baseline = next((row["baseline_name"] for row in reversed(rows) if row["baseline_name"]), "")
    return {"kind": name, "title": KIND_TITLES.get(name, name), "score_name": SCORE_NAMES.get(score_key, score_key),
            "baseline_name": baseline, "versions": rows, "other_figures": [OTHER_FIGURES[key] for key in others],
            "unfinished": [{"version": v.version, "status": v.get_status_display()}
                           for v in versions if v.status != ModelVersion.Status.DONE]}


def _version_row(version: ModelVersion, score_key: str, others: list[str]) -> dict:
    """A done version's figures; ``trained_on`` is the number of gold items, the x of the curve;
    ``others`` the figures beside the score, in order (None where the kind does not record one)."""
    baseline = version.figures.get("baseline") or {}
    comparison = version.comparison or {}
    return {"version": version.version, "trained_on": len(version.trained_on), "held_out": version.held_out_count,
            "score": version.score, "baseline_name": baseline.get("predictor", ""),
            "baseline_score": baseline.get(score_key), "others": [version.figures.get(key) for key in others],
            "live": version.live,
            "promotion": version.get_promotion_display(), "live_version_then": comparison.get("live_version"),
            "live_score_then": comparison.get("live_score"), "duration_seconds": version.duration_seconds}


def learning_curve(curve: dict):
    """The kind's chart: score by version against the gold items it trained on, baseline dashed."""
    points = [CurvePoint(label=f"v{row['version']}", x=row["trained_on"], y=row["score"],
                         baseline=row["baseline_score"], live=row["live"])
              for row in curve["versions"] if row["score"] is not None]
    return learning_curve_chart(points, title=f"{curve['title']}: held-out {curve['score_name']} by version",
                                x_title="gold items trained on", baseline_name=curve["baseline_name"],
                                chart_id=f"learning-{curve['kind']}")
