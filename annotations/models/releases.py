"""Releases: versioned dataset builds of a project's gold."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .projects import Project


def release_upload_to(release: "Release", filename: str) -> str:
    """Releases live under releases/<project id>/, one folder per project."""
    return f"releases/{release.project_id}/{filename}"


class Release(models.Model):
    """An immutable, versioned export of a project's labels: a stored file, its SHA-256 and counts.

    A job row: created pending, built by a Celery task (running -> done or failed). A done
    release is never rebuilt; a new export is a new version.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="releases")
    version = models.PositiveIntegerField(help_text="1, 2, 3… per project.")
    export_format = models.CharField(max_length=16, help_text="A key of annotations.datasets.formats.FORMATS.")
    filters = models.JSONField(default=dict, blank=True, help_text="The ExportFilters the release was built with.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(upload_to=release_upload_to, max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file, hex.")
    document_count = models.PositiveIntegerField(default=0)
    span_count = models.PositiveIntegerField(default=0, help_text="Gold spans written.")
    summary = models.JSONField(default=dict, blank=True, help_text="The exporter's summary, skipped spans included.")
    error = models.TextField(blank=True, help_text="Why the build failed, if it did.")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="release_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="release_version_positive"),
        ]

    def __str__(self):
        return f"{self.project} v{self.version} ({self.get_status_display()})"


# --- Pre-annotation -------------------------------------------------------------
