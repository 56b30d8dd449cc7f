"""Admin of what the pre-annotation pipeline writes: predictions, runs, failures, suggestion
outcomes and topic classifiers. Read here, never added or edited by hand."""

from django.contrib import admin
from django.utils.html import format_html

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
class PredictionAdmin(ReadOnlyAdmin):
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
class PredictionFailureAdmin(ReadOnlyAdmin):
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
class SuggestionOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["id", "prediction", "annotation", "spans_accepted", "spans_changed", "spans_rejected",
                    "sentiment_outcome", "topics_accepted", "topics_rejected"]
    list_filter = ["prediction__predictor", "prediction__version", "prediction__item__project"]
    list_select_related = ["prediction", "annotation__annotator"]


@admin.register(TopicClassifier)
class TopicClassifierAdmin(ReadOnlyAdmin):
    list_display = ["project", "version", "gold_count", "holdout_count", "micro_f1", "subset_accuracy", "trained_at"]
    list_filter = ["project"]
    exclude = ["model"]  # pickled weights: nothing to read
