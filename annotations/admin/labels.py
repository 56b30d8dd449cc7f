"""Admin of the labels: annotators' annotations, gold with its history (versions, reopening),
send-back notes, and releases (read-only once built)."""

from django.contrib import admin

from newsroom.db.estimates import BigTableAdminMixin

from ..models import Annotation, AnnotationSpan, Gold, GoldSpan, Release, SendBack


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
class AnnotationAdmin(BigTableAdminMixin, SubmittedOnly, admin.ModelAdmin):
    list_display = ["id", "item", "annotator", "version", "sentiment", "lead_time_ms", "created_at"]
    list_filter = ["item__project", "sentiment"]
    list_select_related = ["item__article", "item__project", "annotator"]
    search_fields = ["annotator__username", "item__article__title"]
    raw_id_fields = ["item", "annotator", "assignment"]
    inlines = [AnnotationSpanInline]


@admin.register(AnnotationSpan)
class AnnotationSpanAdmin(BigTableAdminMixin, SubmittedOnly, admin.ModelAdmin):
    list_display = ["id", "annotation", "label", "start", "end", "text", "sentiment", "origin", "sentiment_origin"]
    list_filter = ["label", "annotation__item__project"]
    search_fields = ["text"]
    raw_id_fields = ["annotation"]


class GoldSpanInline(admin.TabularInline):
    model = GoldSpan
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Gold)
class GoldAdmin(BigTableAdminMixin, admin.ModelAdmin):
    """Every version of every item's gold, read-only: which one is accepted (the one exported),
    who made each and how, and who reopened it, when and why. Gold changes only through review
    (the review page or the API), unanimity or an import, each change a new version."""

    list_display = ["id", "item", "version", "status", "origin", "reviewer", "sentiment", "created_at", "reopened_by",
                    "reopened_at", "reopen_reason"]
    list_filter = ["status", "origin", "item__project", "created_at", "reopened_at"]
    list_select_related = ["item__article", "item__project", "reviewer", "reopened_by"]
    search_fields = ["item__article__title", "note", "reopen_reason", "reviewer__username", "reopened_by__username"]
    inlines = [GoldSpanInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GoldHistoryInline(admin.TabularInline):
    """An item's gold versions, newest first, on the item's admin page."""

    model = Gold
    fields = ["version", "status", "origin", "reviewer", "created_at", "note", "reopened_by", "reopened_at",
              "reopen_reason"]
    readonly_fields = fields
    ordering = ["-version"]
    extra = 0
    show_change_link = True
    verbose_name = "gold version"
    verbose_name_plural = "gold history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SendBackInline(admin.TabularInline):
    """The notes an item was sent back to its annotators with, newest first."""

    model = SendBack
    fields = ["created_at", "reviewer", "note"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SendBack)
class SendBackAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "reviewer", "note", "created_at"]
    list_filter = ["item__project", "created_at"]
    list_select_related = ["item__article", "item__project", "reviewer"]
    search_fields = ["note", "item__article__title", "reviewer__username"]
    readonly_fields = ["item", "reviewer", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(GoldSpan)
class GoldSpanAdmin(BigTableAdminMixin, admin.ModelAdmin):
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
