"""Admin of projects and their schema: entity types, the topic taxonomy, members and predictors."""

from django.contrib import admin
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html

from ..models import EntityType, Membership, Project, ProjectPredictor, Topic
from .actions import preannotate, train_models


class EntityTypeInline(admin.TabularInline):
    model = EntityType
    extra = 0


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fk_name = "project"
    raw_id_fields = ["parent"]


class ProjectPredictorInline(admin.TabularInline):
    model = ProjectPredictor
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "overlap", "intake", "item_count", "gold_count", "blind", "auto_gold_unanimous",
                    "queue_order", "pages", "created_at"]
    list_filter = ["intake", "blind", "auto_gold_unanimous", "queue_order"]
    search_fields = ["name", "description"]
    filter_horizontal = ["intake_sources"]
    # Import batches grow with the corpus (one per upload): ids typed or picked from the list, never
    # every batch rendered into the page.
    raw_id_fields = ["intake_batches"]
    # Members are listed on their own page (filtered by project, paginated): as rows of this form,
    # a team of fifty annotators was 250 form widgets and most of the page's render time.
    readonly_fields = ["team"]
    inlines = [EntityTypeInline, TopicInline, ProjectPredictorInline]
    actions = ["preannotate_missing", "preannotate_replace", "train_models"]

    def get_queryset(self, request):
        # From the project's item counts row (annotations.counters): counting its items would read
        # every one of them, on the list and on each project's own page alike.
        counts = F("item_counts__open") + F("item_counts__annotated") + F("item_counts__gold")
        return super().get_queryset(request).annotate(item_count=Coalesce(counts, Value(0)),
                                                      gold_count=Coalesce(F("item_counts__gold"), Value(0)))

    @admin.display(ordering="item_count", description="items")
    def item_count(self, project):
        return project.item_count

    @admin.display(ordering="gold_count", description="gold")
    def gold_count(self, project):
        return project.gold_count

    @admin.display(description="members")
    def team(self, project):
        if project.pk is None:
            return "Save the project, then add its members."
        roles = dict(Membership.Role.choices)
        counts = project.memberships.order_by("role").values_list("role").annotate(count=Count("id"))
        summary = ", ".join(f"{count} {roles.get(role, role).lower()}{'s' if count != 1 else ''}"
                            for role, count in counts) or "none yet"
        listed = reverse("admin:annotations_membership_changelist") + f"?project__id__exact={project.pk}"
        added = reverse("admin:annotations_membership_add") + f"?project={project.pk}"
        return format_html('{} · <a href="{}">list and edit</a> · <a href="{}">add a member</a>', summary, listed, added)

    @admin.display(description="open")
    def pages(self, project):
        return format_html('<a href="{}">review</a> · <a href="{}">dashboard</a> · <a href="{}">export</a>',
                           reverse("pages:review-list", args=[project.pk]),
                           reverse("pages:dashboard", args=[project.pk]), reverse("pages:exports", args=[project.pk]))

    @admin.action(description="Pre-annotate the items missing the current predictors' suggestions")
    def preannotate_missing(self, request, queryset):
        preannotate(request, [(project, None) for project in queryset], replace=False)

    @admin.action(description="Pre-annotate every item again, replacing the current suggestions")
    def preannotate_replace(self, request, queryset):
        preannotate(request, [(project, None) for project in queryset], replace=True)

    @admin.action(description="Train new versions of every model kind on the gold (training queue)")
    def train_models(self, request, queryset):
        train_models(request, list(queryset))


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
        # An SVG fill, not a style attribute: the Content-Security-Policy allows no inline styles.
        return format_html('<svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{}"/>'
                           '</svg> {}', entity_type.colour, entity_type.colour)


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
