"""The dashboard: progress, throughput, agreement, predictor quality and learning of a project, as
server-side SVG charts with the numbers in tables below them (no script, nothing downloaded)."""

from django.urls import path
from django.views.generic import TemplateView

from ...models import Project
from ..base import ProjectPageMixin, Role
from . import selectors as dashboard
from .charts import bar_chart, format_decimal, format_percent, line_chart
from .learning import learning_curve, learning_curves


def dashboard_sections(*, project: Project, user) -> dict:
    """Every section's rows and chart."""
    projects = dashboard.projects_progress(projects=dashboard.projects_overseen(user=user))
    annotators = dashboard.annotator_progress(project=project)
    days = dashboard.throughput(project=project)
    agreement = dashboard.agreement_summary(project=project)
    predictors = dashboard.predictor_quality(project=project)
    curves = learning_curves(project=project)
    return {
        "projects": projects,
        "projects_chart": bar_chart([(row["name"], row["gold_share"]) for row in projects], max_value=1,
                                    value_format=format_percent, title="Share of items with gold, per project"),
        "annotators": annotators,
        "annotators_chart": bar_chart([(row["annotator"], row["submitted"]) for row in annotators],
                                      title="Submitted items per annotator"),
        "throughput": days,
        "throughput_chart": line_chart([(row["day"].strftime("%b %d"), row["submits"]) for row in days],
                                       title=f"Submits per day, last {len(days)} days"),
        "agreement": agreement,
        "labels_chart": _score_chart([(row["label"], row["alpha"]) for row in agreement["labels"]],
                                     "Krippendorff's alpha per label"),
        "entities_chart": _score_chart([(row["name"], row["exact"]) for row in agreement["entities"]],
                                       "Span F1 between annotators per entity type (exact match)"),
        "annotator_agreement_chart": _score_chart(
            [(row["annotator"], row["span_f1_exact"]) for row in agreement["annotators"]],
            "Span F1 with the other annotators, per annotator (exact match)"),
        "predictors": predictors,
        "predictors_chart": _score_chart(_precision_recall_bars(predictors),
                                         "Span precision and recall of each predictor on held-out gold"),
        "learning": [{**curve, "chart": learning_curve(curve)} for curve in curves],
    }


def _score_chart(bars: list[tuple[str, float | None]], title: str):
    """Bars of scores that top out at 1 (alpha, F1, precision, recall)."""
    return bar_chart(bars, title=title, max_value=1, value_format=format_decimal)


def _precision_recall_bars(rows: list[dict]) -> list[tuple[str, float | None]]:
    bars = []
    for row in rows:
        name = f"{row['predictor']} {row['version']}"
        bars += [(f"{name} precision", row["span_precision"]), (f"{name} recall", row["span_recall"])]
    return bars


class DashboardPage(ProjectPageMixin, TemplateView):
    template_name = "pages/dashboard.html"
    page_title = "Dashboard"
    roles = (Role.REVIEWER, Role.MANAGER)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_sections(project=self.project, user=self.request.user))
        return context


urlpatterns = [path("projects/<int:project_pk>/dashboard/", DashboardPage.as_view(), name="dashboard")]
