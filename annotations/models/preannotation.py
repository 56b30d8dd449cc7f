"""Pre-annotation: predictions, the predictors a project uses, runs, failures, what annotators kept
of suggestions, topic classifiers."""

from django.db import models

from .items import Item
from .labels import Annotation
from .projects import Project


class Prediction(models.Model):
    """A predictor's suggestion for an item; one per (item, predictor, version)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="predictions")
    predictor = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    labels = models.JSONField(default=dict, help_text="Suggested spans, sentiment, topics.")
    scores = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "predictor", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["item", "predictor", "version"],
                                               name="prediction_unique_version")]

    def __str__(self):
        return f"{self.predictor} {self.version} on item {self.item_id}"



class ProjectPredictor(models.Model):
    """A predictor a project uses, and how the predictor's labels map onto the project's schema."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="predictors")
    kind = models.CharField(max_length=50, help_text="A key of settings.NEWSROOM_PREDICTORS, e.g. spacy-ner.")
    enabled = models.BooleanField(default=True)
    label_map = models.JSONField(default=dict, blank=True,
                                 help_text='Predictor label -> entity type, e.g. {"LOC": "GPE"}. Labels not '
                                           "listed map onto the entity type of the same name, if any.")
    options = models.JSONField(default=dict, blank=True,
                               help_text='Predictor options, e.g. {"url": "...", "timeout": 10, "version": "2"} '
                                         'for the HTTP backend or {"min_topic_score": 0.2}.')

    class Meta:
        ordering = ["project", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="project_predictor_unique")]

    def __str__(self):
        return f"{self.kind} in {self.project}"


class PreannotationRun(models.Model):
    """One predictor (at one version) over a set of a project's items; batches report progress here."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        INTERRUPTED = "interrupted", "Interrupted"

    class Trigger(models.TextChoices):
        IMPORT = "import", "Import"
        SWEEP = "sweep", "Periodic sweep"
        COMMAND = "command", "Command"
        MANUAL = "manual", "Admin or API"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="preannotation_runs")
    predictor = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING, db_index=True)
    item_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0, help_text="Items with a prediction from this run or before.")
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="The last error a batch recorded.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="Last progress; the sweep takes over stale runs.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["project", "predictor", "version", "status"])]

    def __str__(self):
        return f"{self.predictor} {self.version} on {self.project}: {self.done_count}/{self.item_count}"

    @property
    def progress(self) -> float:
        return 1.0 if not self.item_count else (self.done_count + self.failed_count) / self.item_count


class PredictionFailure(models.Model):
    """A predictor could not suggest for an item (bad response, timeout); retried up to a limit."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="prediction_failures")
    predictor = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["item", "predictor", "version"],
                                               name="prediction_failure_unique")]

    def __str__(self):
        return f"{self.predictor} {self.version} failed on item {self.item_id}"


class SuggestionOutcome(models.Model):
    """What an annotator's submit kept and dropped of one prediction (recorded at submit)."""

    prediction = models.ForeignKey(Prediction, on_delete=models.CASCADE, related_name="outcomes")
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="suggestion_outcomes")
    spans_accepted = models.PositiveIntegerField(default=0)
    spans_changed = models.PositiveIntegerField(default=0)
    spans_rejected = models.PositiveIntegerField(default=0)
    sentiment_outcome = models.CharField(max_length=16, blank=True, choices=[
        ("accepted", "Accepted"), ("changed", "Changed"), ("rejected", "Rejected")],
        help_text="What became of the suggested document sentiment; empty when none was suggested.")
    topics_accepted = models.PositiveIntegerField(default=0)
    topics_rejected = models.PositiveIntegerField(default=0)
    entity_sentiments_accepted = models.PositiveIntegerField(default=0)
    entity_sentiments_changed = models.PositiveIntegerField(default=0)
    entity_sentiments_rejected = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prediction", "annotation"], name="suggestion_outcome_unique")]

    def __str__(self):
        return f"Outcome of {self.prediction} in annotation {self.annotation_id}"


class TopicClassifier(models.Model):
    """A topic model trained on a project's gold before model versions (no longer trained): the newest
    serves topic suggestions until the project has a live topics ModelVersion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="topic_classifiers")
    version = models.PositiveIntegerField()
    gold_count = models.PositiveIntegerField(help_text="Gold items it was trained and tested on.")
    holdout_count = models.PositiveIntegerField(help_text="Gold items held back to measure it.")
    micro_f1 = models.FloatField(null=True, blank=True, help_text="On the held-back gold.")
    subset_accuracy = models.FloatField(null=True, blank=True,
                                        help_text="Held-back items with exactly the gold topics.")
    metrics = models.JSONField(default=dict, blank=True)
    trained_on = models.JSONField(default=list, blank=True, help_text="Ids of the gold items it was trained on.")
    thresholds = models.JSONField(default=dict, blank=True,
                                  help_text="Per topic id, the probability from which the topic is suggested, "
                                            "calibrated on held-out gold.")
    model = models.BinaryField(help_text="The fitted model, as written by the trainer.")
    trained_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="topic_classifier_unique")]

    def __str__(self):
        return f"Topic classifier v{self.version} of {self.project}"

