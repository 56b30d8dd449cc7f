"""Versions of the models a project trains on its own gold (see ``preannotation.learning``).

One module of the models package, like the others.
"""

from django.db import models
from django.db.models import Q

# Statuses in which a version holds its (project, kind): one training at a time.
IN_PROGRESS = ("pending", "training")


def model_artifact_upload_to(version: "ModelVersion", filename: str) -> str:
    """Artifacts live under models/<project id>/<kind>/, one file per version."""
    return f"models/{version.project_id}/{version.kind}/{filename}"


class ModelVersion(models.Model):
    """One training run of one learnable kind of a project, and the model it produced.

    A job row: created pending, claimed by a worker (training), then done with its artifact and
    held-out figures, or failed. The artifact is written before the row becomes done, in the
    same step, so a killed training leaves a row without a model (the sweep retries it), never a
    done version without one. At most one version per (project, kind) is live.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        TRAINING = "training", "Training"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Promotion(models.TextChoices):
        UNDECIDED = "", "Not decided yet"
        PROMOTED = "promoted", "Promoted: beat the live version"
        NOT_PROMOTED = "not_promoted", "Not promoted: did not beat the live version"
        MANUAL = "manual", "Promoted by a manager"

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="model_versions")
    kind = models.CharField(max_length=32, help_text="A key of preannotation.learning.KINDS, e.g. sentiment.")
    version = models.PositiveIntegerField(help_text="1, 2, 3… per project and kind.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    trigger = models.CharField(max_length=16, default="manual", help_text="manual, command or new-gold (beat).")
    artifact = models.FileField(upload_to=model_artifact_upload_to, max_length=255, blank=True)
    trained_on = models.JSONField(default=list, blank=True, help_text="Ids of the gold items it was fitted on.")
    held_out_on = models.JSONField(default=list, blank=True,
                                   help_text="Ids of the held-out gold items its figures are measured on.")
    settings = models.JSONField(default=dict, blank=True, help_text="The training settings (seed, options).")
    figures = models.JSONField(default=dict, blank=True,
                               help_text="Held-out figures: per label precision/recall/F1, accuracy, macro-F1, "
                                         "n_items; a baseline's figures on the same items where the kind has one.")
    held_out_count = models.PositiveIntegerField(default=0, help_text="Held-out items the figures are measured on.")
    score = models.FloatField(null=True, blank=True, help_text="The kind's headline held-out figure (compared "
                                                                "for promotion).")
    duration_seconds = models.FloatField(null=True, blank=True, help_text="Training and evaluation time.")
    live = models.BooleanField(default=False, help_text="The version that serves the project's suggestions.")
    promotion = models.CharField(max_length=16, choices=Promotion.choices, blank=True, default="")
    promoted_at = models.DateTimeField(null=True, blank=True, help_text="When it last became live.")
    comparison = models.JSONField(default=dict, blank=True,
                                  help_text="Against the version live when it finished, on the same held-out items: "
                                            '{"live_version", "live_score", "score", "items"}.')
    error = models.TextField(blank=True, help_text="Why training failed, if it did.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Trainings started (the sweep retries).")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"], name="model_version_unique"),
            models.UniqueConstraint(fields=["project", "kind"], condition=Q(live=True), name="model_version_one_live"),
            models.UniqueConstraint(fields=["project", "kind"], condition=Q(status__in=IN_PROGRESS),
                                    name="model_version_one_training"),
            models.CheckConstraint(condition=Q(live=False) | Q(status="done"), name="model_version_live_is_done"),
        ]

    def __str__(self):
        return f"{self.kind} v{self.version} of project {self.project_id} ({self.status})"

    @property
    def predictor_version(self) -> str:
        """How predictions made by this version name it."""
        return predictor_version(self.version)


def predictor_version(number: int) -> str:
    """How predictions made by version ``number`` of a kind name it."""
    return f"model-v{number}"
