"""Admin for labeling: projects with their schema and members, items, annotations, gold."""

from django.contrib import admin

from .models import (Annotation, AnnotationSpan, Assignment, EntityType, Gold, GoldSpan, Item, Membership,
                     Prediction, Project, Release, Topic)


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


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "overlap", "intake", "blind", "auto_gold_unanimous", "created_at"]
    list_filter = ["intake", "blind", "auto_gold_unanimous"]
    search_fields = ["name", "description"]
    filter_horizontal = ["intake_sources", "intake_batches"]
    inlines = [EntityTypeInline, TopicInline, MembershipInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "project", "status", "assigned_count", "submitted_count", "created_at"]
    list_filter = ["project", "status"]
    list_select_related = ["article", "project"]
    search_fields = ["article__title"]
    raw_id_fields = ["article"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "status", "leased_until", "submitted_at"]
    list_filter = ["status", "item__project"]
    raw_id_fields = ["item", "annotator"]


class AnnotationSpanInline(admin.TabularInline):
    model = AnnotationSpan
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "version", "sentiment", "lead_time_ms", "created_at"]
    list_filter = ["item__project", "sentiment"]
    raw_id_fields = ["item", "annotator", "assignment"]
    inlines = [AnnotationSpanInline]


class GoldSpanInline(admin.TabularInline):
    model = GoldSpan
    extra = 0


@admin.register(Gold)
class GoldAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "status", "origin", "reviewer", "sentiment", "created_at"]
    list_filter = ["status", "origin", "item__project"]
    raw_id_fields = ["item", "reviewer", "based_on"]
    inlines = [GoldSpanInline]


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "predictor", "version", "created_at"]
    list_filter = ["predictor", "version"]
    raw_id_fields = ["item"]


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
