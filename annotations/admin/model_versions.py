"""Admin of the models a project trains on its gold: versions with their held-out figures and
comparison, promotion and roll-back; trainings start from the project list (``projects``)."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from newsroom.errors import DomainError

from ..models import ModelVersion
from .preannotation import ReadOnlyAdmin


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    """Every figure is on held-out gold the version never trained on; ``comparison`` is against
    the version live when it finished, on the same items."""

    list_display = ["project", "kind", "version", "status", "live", "promotion", "score", "held_out_count",
                    "trained_on_count", "duration_seconds", "created_at"]
    list_filter = ["kind", "status", "live", "project"]
    list_select_related = ["project"]
    fields = ["project", "kind", "version", "status", "trigger", "live", "promotion", "promoted_at", "score",
              "held_out_count", "trained_on_count", "per_label", "baseline", "comparison", "settings",
              "duration_seconds", "attempts", "error", "artifact", "created_at", "started_at", "finished_at"]
    readonly_fields = fields
    actions = ["promote", "roll_back"]

    @admin.display(description="trained on (gold items)")
    def trained_on_count(self, version):
        return len(version.trained_on)

    @admin.display(description="per label, on held-out gold")
    def per_label(self, version):
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                                ((label, row.get("p"), row.get("r"), row.get("f1"), row.get("support"))
                                 for label, row in version.figures.get("per_label", {}).items()))
        return format_html("<table><thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>"
                           "<th>items</th></tr></thead><tbody>{}</tbody></table>", rows)

    @admin.display(description="baseline on the same items")
    def baseline(self, version):
        baseline = version.figures.get("baseline")
        if not baseline:
            return "—"
        shown = ", ".join(f"{name} {baseline[key]}" for key, name in (("accuracy", "accuracy"), ("macro_f1", "macro-F1"),
                                                                     ("f1", "F1")) if key in baseline)
        return f"{baseline['predictor']}: {shown}"

    @admin.action(description="Promote: make the selected version live (one per project and kind)")
    def promote(self, request, queryset):
        from ..preannotation.learning.versions import model_version_promote

        for version in queryset:
            try:
                model_version_promote(version=version)
                messages.success(request, f"{version.kind} v{version.version} of {version.project} is live.")
            except DomainError as exc:
                messages.error(request, f"{version.kind} v{version.version}: {exc}")

    @admin.action(description="Roll back: make live again the version live before the current one")
    def roll_back(self, request, queryset):
        from ..preannotation.learning.versions import model_version_rollback

        for project, kind in sorted({(version.project, version.kind) for version in queryset}, key=str):
            try:
                version = model_version_rollback(project=project, kind=kind)
                messages.success(request, f"{kind} of {project}: v{version.version} is live again.")
            except DomainError as exc:
                messages.error(request, f"{kind} of {project}: {exc}")
