"""Admin for the corpus: articles (raw vs cleaned), sources, story clusters, import batches."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from newsroom.db.estimates import BigTableAdminMixin

from .models import Article, ImportBatch, ImportRecord, Source, StoryCluster

# Failures listed on a batch page; all of them are one click away.
FAILURES_SHOWN = 50


class HasStoryFilter(admin.SimpleListFilter):
    title = "story cluster"
    parameter_name = "has_story"

    def lookups(self, request, model_admin):
        return [("yes", "Shares a story"), ("no", "Unique story")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(story_cluster__isnull=False)
        if self.value() == "no":
            return queryset.filter(story_cluster__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "dateline", "story_cluster", "import_batch", "created_at"]
    list_filter = ["source", "published_at", HasStoryFilter, "import_batch", "language"]
    list_select_related = ["source"]
    search_fields = ["title", "byline", "url"]
    date_hierarchy = "published_at"
    raw_id_fields = ["story_cluster", "import_batch", "source"]
    readonly_fields = ["cleaned_vs_raw", "removed_report", "content_hash", "origin", "format", "shingle_count",
                       "created_at"]
    exclude = ["minhash", "removed_lines"]
    fieldsets = [
        (None, {"fields": ["title", "source", "url", "byline", "published_at", "dateline", "language"]}),
        ("Text", {"fields": ["cleaned_vs_raw", "removed_report"]}),
        ("Provenance", {"fields": ["import_batch", "origin", "format", "story_cluster", "content_hash",
                                   "shingle_count", "created_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("minhash")

    class Media:
        css = {"all": ["ingest/admin.css"]}  # styles from a file: the Content-Security-Policy allows no inline ones

    @admin.display(description="Cleaned body | raw text as imported")
    def cleaned_vs_raw(self, article):
        return format_html('<div class="text-compare"><div>{}</div><div>{}</div></div>', article.body,
                           article.raw_text)

    @admin.display(description="Removed by cleaning")
    def removed_report(self, article):
        if not article.removed_lines:
            return "Nothing removed."
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                                ((r["line"], r["reason"], r["text"]) for r in article.removed_lines))
        return format_html("<table><tr><th>Line</th><th>Reason</th><th>Text</th></tr>{}</table>", rows)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "article_count", "created_at"]
    search_fields = ["name", "domain"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count")
    def article_count(self, source):
        return source.article_count


class StoryArticleInline(admin.TabularInline):
    model = Article
    fields = ["title", "source", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StoryCluster)
class StoryClusterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "size", "created_at"]
    inlines = [StoryArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(size=Count("articles"))

    @admin.display(ordering="size", description="articles")
    def size(self, cluster):
        return cluster.size


@admin.register(ImportRecord)
class ImportRecordAdmin(BigTableAdminMixin, admin.ModelAdmin):
    list_display = ["origin", "outcome", "message", "batch", "article"]
    list_filter = ["outcome", "batch"]
    search_fields = ["origin", "message"]
    raw_id_fields = ["batch", "article"]

    def has_add_permission(self, request):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "created_by", "created_at", "created_count", "duplicate_count",
                    "near_duplicate_count", "failed_count"]
    list_filter = ["status", "format", "created_at"]
    readonly_fields = ["status", "format", "source_name", "column_map", "input_names", "created_by", "created_at",
                       "started_at", "finished_at", "total", "processed_count", "created_count", "duplicate_count",
                       "near_duplicate_count", "failed_count", "error", "failures", "enqueued_at", "claimed_at",
                       "heartbeat_at", "attempts", "cursor"]
    exclude = ["inputs"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Failed items")
    def failures(self, batch):
        records = batch.records.filter(outcome=ImportRecord.Outcome.FAILED)[:FAILURES_SHOWN]
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", ((r.origin, r.message) for r in records))
        url = reverse("admin:ingest_importrecord_changelist") + f"?batch__id__exact={batch.pk}"
        return format_html('<table>{}</table><p><a href="{}">All records of this batch</a></p>', rows, url)

    @admin.display(description="inputs")
    def input_names(self, batch):
        return ", ".join(entry.get("name", "") for entry in batch.inputs)
