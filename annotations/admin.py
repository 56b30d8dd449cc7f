"""Admin for labeling: projects with their schema, taxonomy, members and predictors; items with
the manager's bulk actions (assign, pre-annotate, export, mark gold); the labels; and the
pre-annotation job rows and measurements, read-only."""

from collections import Counter, defaultdict
from collections.abc import Iterator

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.html import format_html

from .export import ExportRecord
from .export.jsonl import JsonlFormat
from .exporting import ExportFilters, export_records
from .models import (Annotation, AnnotationSpan, Assignment, EntityType, Gold, GoldSpan, Item, Membership,
                     PreannotationRun, Prediction, PredictionFailure, Project, ProjectPredictor, Release,
                     SuggestionOutcome, Topic, TopicClassifier)
from .queue import lease_end
from .services import gold_accept

Role = Membership.Role


# --- what the bulk actions do (plain functions) ----------------------------------

def item_assign(*, item: Item, annotator) -> str | None:
    """Give ``item`` to ``annotator`` as the queue would: an active assignment with a lease,
    never beyond the project's overlap, never twice to one person. Returns why it was skipped,
    or None once assigned. The assignment is the annotator's next item on the labeling page."""
    if item.status != Item.Status.OPEN:
        return "it is not open for annotation"
    if item.assignments.filter(annotator=annotator).exists():
        return "they had it already"
    with transaction.atomic():
        # Conditional update, as in the queue: a concurrent claim cannot push the item past overlap.
        if not Item.objects.filter(pk=item.pk, assigned_count__lt=item.project.overlap).update(
                assigned_count=F("assigned_count") + 1):
            return "it has as many annotators as the project asks for"
        try:
            with transaction.atomic():
                Assignment.objects.create(item=item, annotator=annotator, leased_until=lease_end(item.project))
        except IntegrityError:  # the annotator claimed it through the queue meanwhile
            Item.objects.filter(pk=item.pk).update(assigned_count=F("assigned_count") - 1)
            return "they had it already"
    return None


def items_assign(*, items: QuerySet[Item], annotator) -> tuple[int, Counter]:
    """Assign each item to ``annotator`` where they annotate its project: (assigned, skip reasons)."""
    annotates = set(Membership.objects.filter(user=annotator, role=Role.ANNOTATOR).values_list("project", flat=True))
    assigned, skipped = 0, Counter()
    for item in items.select_related("project"):
        reason = (item_assign(item=item, annotator=annotator) if item.project_id in annotates
                  else "they do not annotate its project")
        if reason:
            skipped[reason] += 1
        else:
            assigned += 1
    return assigned, skipped


def _label_key(annotation: Annotation) -> tuple:
    spans = frozenset((s.start, s.end, s.label, s.sentiment) for s in annotation.spans.all())
    return annotation.sentiment, tuple(sorted(annotation.topics)), spans


def item_gold_if_unanimous(*, item: Item, reviewer) -> str | None:
    """Accept the annotators' labels as gold when every annotator the project asks for has
    submitted and all their current labels are the same (entity sentiment included). Returns
    why it was skipped, or None once gold."""
    if item.gold.filter(status=Gold.Status.ACCEPTED).exists():
        return "it is gold already"
    latest = {}
    for annotation in item.annotations.prefetch_related("spans").order_by("version"):
        latest[annotation.annotator_id] = annotation
    if not latest:
        return "nobody has labelled it"
    if len(latest) < item.project.overlap:
        return "not every annotator has submitted"
    if len({_label_key(annotation) for annotation in latest.values()}) > 1:
        return "the annotators disagree"
    gold_accept(item=item, reviewer=reviewer, annotation=next(iter(latest.values())), origin=Gold.Origin.UNANIMOUS)
    return None


def selection_records(items: QuerySet[Item]) -> Iterator[ExportRecord]:
    """Export records (gold and every annotator's labels) of the selected items, project by project.

    ExportFilters has no item filter, so each project's export is read in full and narrowed to
    the selection here: streamed, but it takes as long as exporting the whole project.
    """
    selected = defaultdict(set)
    for project_id, article_id in items.values_list("project_id", "article_id"):
        selected[project_id].add(article_id)
    filters = ExportFilters(gold_only=False, include_annotations=True)
    for project in Project.objects.filter(pk__in=selected):
        for record in export_records(project=project, filters=filters):
            if record.article_id in selected[project.pk]:
                yield record


def _report(request, done: str, skipped: Counter) -> None:
    messages.success(request, done)
    if skipped:
        reasons = "; ".join(f"{count} because {reason}" for reason, count in skipped.most_common())
        messages.warning(request, f"Skipped {sum(skipped.values())}: {reasons}.")


def _preannotate(request, scopes: list[tuple[Project, QuerySet[Item] | None]], *, replace: bool) -> None:
    # Imported on use: pre-annotation loads the predictor registry, which no other admin page needs.
    from .predictors.base import PredictorError
    from .preannotation import preannotation_enqueue

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


# --- projects and their schema ----------------------------------------------------

class EntityTypeInline(admin.TabularInline):
    model = EntityType
    extra = 0


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fk_name = "project"
    raw_id_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class ProjectPredictorInline(admin.TabularInline):
    model = ProjectPredictor
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "overlap", "intake", "item_count", "gold_count", "blind", "auto_gold_unanimous",
                    "pages", "created_at"]
    list_filter = ["intake", "blind", "auto_gold_unanimous"]
    search_fields = ["name", "description"]
    filter_horizontal = ["intake_sources", "intake_batches"]
    inlines = [EntityTypeInline, TopicInline, MembershipInline, ProjectPredictorInline]
    actions = ["preannotate_missing", "preannotate_replace"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            item_count=Count("items"), gold_count=Count("items", filter=Q(items__status=Item.Status.GOLD)))

    @admin.display(ordering="item_count", description="items")
    def item_count(self, project):
        return project.item_count

    @admin.display(ordering="gold_count", description="gold")
    def gold_count(self, project):
        return project.gold_count

    @admin.display(description="open")
    def pages(self, project):
        return format_html('<a href="{}">review</a> · <a href="{}">dashboard</a> · <a href="{}">export</a>',
                           reverse("pages:review-list", args=[project.pk]),
                           reverse("pages:dashboard", args=[project.pk]), reverse("pages:exports", args=[project.pk]))

    @admin.action(description="Pre-annotate the items missing the current predictors' suggestions")
    def preannotate_missing(self, request, queryset):
        _preannotate(request, [(project, None) for project in queryset], replace=False)

    @admin.action(description="Pre-annotate every item again, replacing the current suggestions")
    def preannotate_replace(self, request, queryset):
        _preannotate(request, [(project, None) for project in queryset], replace=True)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    list_select_related = ["user", "project"]
    search_fields = ["user__username", "user__email", "project__name"]
    raw_id_fields = ["user"]


@admin.register(EntityType)
class EntityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "swatch", "hotkey"]
    list_filter = ["project"]
    search_fields = ["name"]

    @admin.display(description="colour")
    def swatch(self, entity_type):
        return format_html('<span style="display:inline-block;width:1em;height:1em;background:{};'
                           'vertical-align:middle"></span> {}', entity_type.colour, entity_type.colour)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "project"]
    list_filter = ["project"]
    list_select_related = ["parent", "project"]
    search_fields = ["name", "description"]
    raw_id_fields = ["parent"]


@admin.register(ProjectPredictor)
class ProjectPredictorAdmin(admin.ModelAdmin):
    list_display = ["kind", "project", "enabled"]
    list_filter = ["kind", "enabled", "project"]
    list_editable = ["enabled"]


# --- items and the labels on them ------------------------------------------------

class AssignActionForm(ActionForm):
    annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(memberships__role=Role.ANNOTATOR).distinct().order_by("username"),
        required=False, label="Annotator (for “assign”)")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "project", "status", "assigned_count", "submitted_count", "created_at"]
    list_filter = ["project", "status"]
    list_select_related = ["article", "project"]
    search_fields = ["article__title"]
    raw_id_fields = ["article"]
    action_form = AssignActionForm
    actions = ["assign", "preannotate_missing", "preannotate_replace", "export_selection", "mark_gold"]

    @admin.action(description="Assign the selected items to the annotator chosen beside")
    def assign(self, request, queryset):
        try:
            annotator = AssignActionForm.base_fields["annotator"].clean(request.POST.get("annotator"))
        except ValidationError:
            annotator = None
        if annotator is None:
            messages.error(request, "Choose the annotator to assign the items to.")
            return
        assigned, skipped = items_assign(items=queryset, annotator=annotator)
        _report(request, f"Assigned {assigned} items to {annotator}.", skipped)

    @admin.action(description="Pre-annotate the selected items missing the current predictors' suggestions")
    def preannotate_missing(self, request, queryset):
        _preannotate(request, self._by_project(queryset), replace=False)

    @admin.action(description="Pre-annotate the selected items again, replacing their suggestions")
    def preannotate_replace(self, request, queryset):
        _preannotate(request, self._by_project(queryset), replace=True)

    @admin.action(description="Export the selected items' labels (JSONL)")
    def export_selection(self, request, queryset):
        response = StreamingHttpResponse(JsonlFormat().write(selection_records(queryset)),
                                         content_type=JsonlFormat.media_type)
        response["Content-Disposition"] = 'attachment; filename="selected-items.jsonl"'
        return response

    @admin.action(description="Mark gold where the annotators are unanimous")
    def mark_gold(self, request, queryset):
        gold, skipped = 0, Counter()
        for item in queryset.select_related("project"):
            reason = item_gold_if_unanimous(item=item, reviewer=request.user)
            if reason:
                skipped[reason] += 1
            else:
                gold += 1
        _report(request, f"Marked {gold} items gold.", skipped)

    @staticmethod
    def _by_project(items):
        projects = Project.objects.filter(items__in=items).distinct()
        return [(project, items.filter(project=project)) for project in projects]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "status", "leased_until", "submitted_at"]
    list_filter = ["status", "item__project"]
    list_select_related = ["item__article", "item__project", "annotator"]
    search_fields = ["annotator__username", "item__article__title"]
    raw_id_fields = ["item", "annotator"]


class AnnotationSpanInline(admin.TabularInline):
    model = AnnotationSpan
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "version", "sentiment", "lead_time_ms", "created_at"]
    list_filter = ["item__project", "sentiment"]
    list_select_related = ["item__article", "item__project", "annotator"]
    search_fields = ["annotator__username", "item__article__title"]
    raw_id_fields = ["item", "annotator", "assignment"]
    inlines = [AnnotationSpanInline]


@admin.register(AnnotationSpan)
class AnnotationSpanAdmin(admin.ModelAdmin):
    list_display = ["id", "annotation", "label", "start", "end", "text", "sentiment"]
    list_filter = ["label", "annotation__item__project"]
    search_fields = ["text"]
    raw_id_fields = ["annotation"]


class GoldSpanInline(admin.TabularInline):
    model = GoldSpan
    extra = 0


@admin.register(Gold)
class GoldAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "status", "origin", "reviewer", "sentiment", "created_at"]
    list_filter = ["status", "origin", "item__project"]
    list_select_related = ["item__article", "item__project", "reviewer"]
    raw_id_fields = ["item", "reviewer", "based_on"]
    inlines = [GoldSpanInline]


@admin.register(GoldSpan)
class GoldSpanAdmin(admin.ModelAdmin):
    list_display = ["id", "gold", "label", "start", "end", "text", "sentiment"]
    list_filter = ["label", "gold__status", "gold__item__project"]
    search_fields = ["text"]
    raw_id_fields = ["gold"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are made through the API (which allocates the version and enqueues the build) and
    never change once built: everything but the note is read-only here."""

    list_display = ["project", "version", "status", "export_format", "document_count", "span_count", "size_bytes",
                    "created_by", "created_at", "finished_at"]
    list_filter = ["status", "export_format", "project"]
    list_select_related = ["project", "created_by"]
    search_fields = ["project__name", "note", "checksum"]
    readonly_fields = ["project", "version", "export_format", "filters", "status", "file", "size_bytes", "checksum",
                       "document_count", "span_count", "summary", "error", "created_by", "created_at", "started_at",
                       "finished_at"]

    def has_add_permission(self, request):
        return False


# --- pre-annotation: written by the pipeline, read here --------------------------

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
        return failure.error if len(failure.error) <= 120 else failure.error[:119] + "…"


@admin.register(SuggestionOutcome)
class SuggestionOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["id", "prediction", "annotation", "spans_accepted", "spans_rejected", "sentiment_accepted",
                    "topics_accepted", "topics_rejected"]
    list_filter = ["prediction__predictor", "prediction__version", "prediction__item__project"]
    list_select_related = ["prediction", "annotation__annotator"]


@admin.register(TopicClassifier)
class TopicClassifierAdmin(ReadOnlyAdmin):
    list_display = ["project", "version", "gold_count", "holdout_count", "micro_f1", "subset_accuracy", "trained_at"]
    list_filter = ["project"]
    exclude = ["model"]  # pickled weights: nothing to read
