"""Admin of items and their assignments, with the manager's bulk actions on a selection:
assign to an annotator, pre-annotate, export, mark gold where the annotators are unanimous.

Each action parses the request and calls one domain function (``queue``, ``services``,
``datasets.exports``, ``preannotation.runs``); the rules stay there.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse

from newsroom.db.estimates import BigTableAdminMixin

from ..datasets.exports import selection_export_records
from ..datasets.formats.jsonl import JsonlFormat
from ..models import Assignment, Item, Membership, Project
from ..queue import items_assign
from ..gold import items_gold_if_unanimous
from .actions import preannotate, report
from .labels import GoldHistoryInline, SendBackInline


class AssignActionForm(ActionForm):
    annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(memberships__role=Membership.Role.ANNOTATOR).distinct()
        .order_by("username"),
        required=False, label="Annotator (for “assign”)")


@admin.register(Item)
class ItemAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "article", "project", "status", "assigned_count", "submitted_count", "agreement",
                    "uncertainty", "created_at"]
    list_filter = ["project", "status"]
    list_select_related = ["article", "project"]
    search_fields = ["article__title"]
    raw_id_fields = ["article"]
    action_form = AssignActionForm
    inlines = [GoldHistoryInline, SendBackInline]
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
        report(request, f"Assigned {assigned} items to {annotator}.", skipped)

    @admin.action(description="Pre-annotate the selected items missing the current predictors' suggestions")
    def preannotate_missing(self, request, queryset):
        preannotate(request, self._by_project(queryset), replace=False)

    @admin.action(description="Pre-annotate the selected items again, replacing their suggestions")
    def preannotate_replace(self, request, queryset):
        preannotate(request, self._by_project(queryset), replace=True)

    @admin.action(description="Export the selected items' labels (JSONL)")
    def export_selection(self, request, queryset):
        response = StreamingHttpResponse(JsonlFormat().write(selection_export_records(items=queryset)),
                                         content_type=JsonlFormat.media_type)
        response["Content-Disposition"] = 'attachment; filename="selected-items.jsonl"'
        return response

    @admin.action(description="Mark gold where the annotators are unanimous")
    def mark_gold(self, request, queryset):
        gold, skipped = items_gold_if_unanimous(items=queryset, reviewer=request.user)
        report(request, f"Marked {gold} items gold.", skipped)

    @staticmethod
    def _by_project(items):
        projects = Project.objects.filter(items__in=items).distinct()
        return [(project, items.filter(project=project)) for project in projects]


@admin.register(Assignment)
class AssignmentAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "status", "leased_until", "submitted_at"]
    list_filter = ["status", "item__project"]
    list_select_related = ["item__article", "item__project", "annotator"]
    search_fields = ["annotator__username", "item__article__title"]
    raw_id_fields = ["item", "annotator"]
    readonly_fields = ["project"]  # the item's, set on save
