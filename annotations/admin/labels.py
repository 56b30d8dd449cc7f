"""Admin of the labels: annotators' annotations, gold, and releases (read-only once built)."""

from django.contrib import admin

from ..models import Annotation, AnnotationSpan, Gold, GoldSpan, Release


class SubmittedOnly:
    """Annotations are written by the submit service only (``services.annotation_submit``), which
    derives each label's provenance and refuses pending suggestions: here they are read, and
    deleted if need be, never added or edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnnotationSpanInline(SubmittedOnly, admin.TabularInline):
    model = AnnotationSpan
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(SubmittedOnly, admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "version", "sentiment", "lead_time_ms", "created_at"]
    list_filter = ["item__project", "sentiment"]
    list_select_related = ["item__article", "item__project", "annotator"]
    search_fields = ["annotator__username", "item__article__title"]
    raw_id_fields = ["item", "annotator", "assignment"]
    inlines = [AnnotationSpanInline]


@admin.register(AnnotationSpan)
class AnnotationSpanAdmin(SubmittedOnly, admin.ModelAdmin):
    list_display = ["id", "annotation", "label", "start", "end", "text", "sentiment", "origin", "sentiment_origin"]
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
