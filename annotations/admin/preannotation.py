"""Admin of what the pre-annotation pipeline writes: predictions, runs, failures, suggestion
outcomes and topic classifiers. Read here, never added or edited by hand."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from newsroom.db.estimates import BigTableAdminMixin

from ..models import PreannotationRun, Prediction, PredictionFailure, SuggestionOutcome, TopicClassifier

# Longest error shown in the failures list; the whole text is on the row's page.
SHORT_ERROR_CHARS = 120


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the pipeline writes: viewable and deletable, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Prediction)
class PredictionAdmin(BigTableAdminMixin, ReadOnlyAdmin):
    list_display = ["id", "item", "predictor", "version", "created_at"]
    list_filter = ["predictor", "version", "item__project"]
    list_select_related = ["item__article", "item__project"]
    raw_id_fields = ["item"]


@admin.register(PreannotationRun)
class PreannotationRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "project", "predictor", "version", "trigger", "status", "progress", "created_at",
                    "updated_at"]
    list_filter = ["status", "predictor", "project", "trigger"]
    list_select_related = ["project"]
    search_fields = ["error"]

    @admin.display(description="progress")
    def progress(self, run):
        finished = run.done_count + run.failed_count
        failed = f" ({run.failed_count} failed)" if run.failed_count else ""
        return format_html('<progress value="{}" max="{}"></progress> {}/{}{}', finished, max(run.item_count, 1),
                           finished, run.item_count, failed)


@admin.register(PredictionFailure)
class PredictionFailureAdmin(BigTableAdminMixin, ReadOnlyAdmin):
    list_display = ["id", "item", "predictor", "version", "attempts", "short_error", "updated_at"]
    list_filter = ["predictor", "version", "item__project"]
    list_select_related = ["item__article", "item__project"]
    search_fields = ["error"]

    @admin.display(description="error")
    def short_error(self, failure):
        if len(failure.error) <= SHORT_ERROR_CHARS:
            return failure.error
        return failure.error[:SHORT_ERROR_CHARS - 1] + "…"


@admin.register(SuggestionOutcome)
class SuggestionOutcomeAdmin(BigTableAdminMixin, ReadOnlyAdmin):
    list_display = ["id", "prediction", "annotation", "spans_accepted", "spans_changed", "spans_rejected",
                    "sentiment_outcome", "topics_accepted", "topics_rejected"]
    list_filter = ["prediction__predictor", "prediction__version", "prediction__item__project"]
    list_select_related = ["prediction", "annotation__annotator"]


@admin.register(TopicClassifier)
class TopicClassifierAdmin(ReadOnlyAdmin):
    """A version's training items, its held-out figures and the thresholds it suggests topics at.
    Every figure is on held-out gold, cross-fitted (see annotations.preannotation.calibration)."""

    list_display = ["project", "version", "trained_on_count", "holdout_count", "micro_precision", "micro_recall",
                    "micro_f1", "subset_accuracy", "calibrated_topics", "trained_at"]
    list_filter = ["project"]
    fields = ["project", "version", "trained_at", "trained_on_count", "holdout_count", "micro_precision",
              "micro_recall", "micro_f1", "subset_accuracy", "per_topic", "suggestion_rule"]
    readonly_fields = fields + ["calibrated_topics"]

    @admin.display(description="trained on (gold items)")
    def trained_on_count(self, classifier):
        return len(classifier.trained_on)

    @admin.display(description="micro precision")
    def micro_precision(self, classifier):
        return _held_out(classifier).get("micro_precision")

    @admin.display(description="micro recall")
    def micro_recall(self, classifier):
        return _held_out(classifier).get("micro_recall")

    @admin.display(description="calibrated topics")
    def calibrated_topics(self, classifier):
        return sum(value is not None for value in classifier.thresholds.values())

    @admin.display(description="per topic, on held-out gold")
    def per_topic(self, classifier):
        names = dict(classifier.project.topics.values_list("id", "name"))
        measured = _held_out(classifier).get("topics", {})
        trained = classifier.metrics.get("train", {}).get("positives", {})
        keys = sorted(set(measured) | set(trained) | set(classifier.thresholds), key=lambda pk: names.get(int(pk), pk))
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                    "<td>{}</td></tr>",
                                ((names.get(int(pk), f"#{pk}"), trained.get(pk, 0), _threshold(classifier, pk),
                                  measured.get(pk, {}).get("positives", 0), measured.get(pk, {}).get("suggested", 0),
                                  _figure(measured.get(pk, {}).get("precision")),
                                  _figure(measured.get(pk, {}).get("recall"))) for pk in keys))
        return format_html("<table><thead><tr><th>topic</th><th>train examples</th><th>threshold</th>"
                           "<th>held-out items with it</th><th>suggested</th><th>precision</th><th>recall</th>"
                           "</tr></thead><tbody>{}</tbody></table>", rows)

    @admin.display(description="suggestion rule")
    def suggestion_rule(self, classifier):
        rule = classifier.metrics.get("rule")
        if not rule:
            return "Trained before thresholds were calibrated: suggests at most its top topic."
        return (f"A topic with a threshold is suggested from it on; other topics only as a text's top topic, "
                f"from {rule['uncalibrated_min_score']}. Thresholds maximise F1 on held-out gold at precision "
                f"≥ {rule['min_precision']}, for topics with ≥ {rule['min_calibration_positives']} held-out items; "
                f"figures are cross-fitted over {rule['cross_fit_folds']} folds.")


def _held_out(classifier) -> dict:
    return classifier.metrics.get("held_out") or {}


def _threshold(classifier, pk: str) -> str:
    if pk not in classifier.thresholds:
        return "—"
    value = classifier.thresholds[pk]
    return "never (not precise enough)" if value is None else f"{value:.3f}"


def _figure(value) -> str:
    return "—" if value is None else f"{value:.2f}"
