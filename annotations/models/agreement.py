"""Each project's stored agreement report: computed by a worker after labels change, read by the
dashboard and the API, so that no request computes agreement over every annotation."""

from django.db import models

from .projects import Project


class ProjectAgreement(models.Model):
    """A project's agreement report as of ``computed_at`` (``agreement.reports``), and the quality
    of its predictors on held-out gold computed with it (``preannotation.quality``).

    ``stale_since`` is the first label change the report does not cover; it is set once (the
    submits after it write nothing) and cleared when a refresh claims the row, so a change during
    a refresh marks it again. ``refresh_started_at`` is the running refresh's claim: a later one
    wins, and the sweep hands back a claim whose worker died.
    """

    project = models.OneToOneField(Project, primary_key=True, on_delete=models.CASCADE, related_name="agreement")
    report = models.JSONField(null=True, blank=True, help_text="AgreementReport.as_dict(); null until computed.")
    predictors = models.JSONField(null=True, blank=True,
                                  help_text="predictor_quality_report() as of computed_at; null until computed.")
    computed_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When the refresh began reading the labels the report covers.")
    annotations = models.IntegerField(default=0, help_text="Current annotations (one per annotator and item) the report covers.")
    duration_ms = models.IntegerField(null=True, blank=True, help_text="How long the last refresh took.")
    stale_since = models.DateTimeField(null=True, blank=True,
                                       help_text="First label change since the report; null: up to date.")
    refresh_started_at = models.DateTimeField(null=True, blank=True, help_text="Claim of the running refresh.")

    class Meta:
        verbose_name = "project agreement report"

    def __str__(self):
        return f"{self.project}: agreement as of {self.computed_at or 'never'}"

    @property
    def pending(self) -> bool:
        """Whether a newer report is due: labels changed since this one, or a refresh is running."""
        return self.stale_since is not None or self.refresh_started_at is not None
