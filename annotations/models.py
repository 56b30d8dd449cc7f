"""Labeling: projects and their schema, items and assignments, annotations, predictions, gold."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from ingest.models import Article, ImportBatch, Source

from .querysets import AnnotationQuerySet, LabelsQuerySet

DEFAULT_SENTIMENT_SCALE = ["negative", "neutral", "positive"]
# More annotators per article than this is a mistake, not a design.
MAX_OVERLAP = 20


def default_sentiment_scale():
    return list(DEFAULT_SENTIMENT_SCALE)


class Project(models.Model):
    """A labeling project: its schema, how many annotators see each article, and its intake."""

    class Intake(models.TextChoices):
        ALL = "all", "Every imported article"
        SOURCES = "sources", "Articles from chosen sources"
        BATCHES = "batches", "Articles from chosen import batches"
        KEYWORDS = "keywords", "Articles whose title or text contains a keyword"
        MANUAL = "manual", "Only articles added by hand"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    guidelines = models.TextField(blank=True, help_text="Markdown, shown to annotators.")
    sentiment_scale = models.JSONField(default=default_sentiment_scale,
                                       help_text="Sentiment values, from most negative to most positive.")
    entity_sentiment = models.BooleanField(default=False, help_text="Also ask for sentiment toward each entity.")
    overlap = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(MAX_OVERLAP)],
        help_text="How many annotators label each article.")
    allow_overlapping_spans = models.BooleanField(default=False)
    auto_gold_unanimous = models.BooleanField(default=False,
                                              help_text="Unanimous annotations become gold without review.")
    blind = models.BooleanField(default=True, help_text="Annotators never see each other's labels.")
    lease_minutes = models.PositiveIntegerField(default=30, help_text="Abandoned work returns to the pool after this.")
    intake = models.CharField(max_length=16, choices=Intake.choices, default=Intake.ALL)
    intake_sources = models.ManyToManyField(Source, blank=True, related_name="+")
    intake_batches = models.ManyToManyField(ImportBatch, blank=True, related_name="+")
    intake_keywords = models.JSONField(default=list, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(overlap__gte=1), name="project_overlap_positive")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """One role of a user in a project. A member has a set of roles, one row each: a manager or
    reviewer who also labels holds the annotator role too."""

    class Role(models.TextChoices):
        ANNOTATOR = "annotator", "Annotator"
        REVIEWER = "reviewer", "Reviewer"
        MANAGER = "manager", "Manager"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role_idx")]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.project}"


class EntityType(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="entity_types")
    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=7, default="#4e79a7", help_text="CSS hex colour, e.g. #4e79a7.")
    hotkey = models.CharField(max_length=1, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="entity_type_unique_name"),
            models.UniqueConstraint(fields=["project", "hotkey"], condition=~Q(hotkey=""),
                                    name="entity_type_unique_hotkey"),
        ]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A node of a project's topic taxonomy (a tree; items may have several topics)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="topics")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="Also used to suggest the topic before there is gold.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "parent", "name"], name="topic_unique_child"),
            models.UniqueConstraint(fields=["project", "name"], condition=Q(parent__isnull=True),
                                    name="topic_unique_root"),
        ]

    def __str__(self):
        return self.name


# One item in this many is held out: enough gold to measure a model on, most of it to train on.
HELD_OUT_ONE_IN = 5


class GoldSplit(models.TextChoices):
    """Which side of a project's gold an item is on: models train on one, are measured on the other."""

    TRAIN = "train", "Training"
    HELD_OUT = "held_out", "Held out"

    @classmethod
    def for_item(cls, item_id: int) -> "GoldSplit":
        """The side of item ``item_id``, fixed by its id: the same on every call and machine, and
        spread evenly over consecutive ids (Knuth's multiplicative hash)."""
        return cls.HELD_OUT if (item_id * 2654435761) % 2**32 % HELD_OUT_ONE_IN == 0 else cls.TRAIN


class Item(models.Model):
    """One article in one project."""

    class Status(models.TextChoices):
        OPEN = "open", "Needs annotators"
        ANNOTATED = "annotated", "Annotated, awaiting review"
        GOLD = "gold", "Gold"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Active, queued or submitted assignments; the queue hands the item out while this is below overlap.
    assigned_count = models.PositiveSmallIntegerField(default=0)
    submitted_count = models.PositiveSmallIntegerField(default=0)
    agreement = models.FloatField(null=True, blank=True, db_index=True,
                                  help_text="Mean pairwise agreement of the annotators' current labels, 0 to 1; "
                                            "empty until two have submitted.")
    gold_split = models.CharField(max_length=16, choices=GoldSplit.choices, blank=True, db_index=True,
                                  help_text="Which side of the project's gold the item is on, decided once when its "
                                            "first gold is accepted: models train on one side, are measured on the "
                                            "other.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "article"], name="item_unique_article")]
        indexes = [models.Index(fields=["project", "status", "assigned_count"], name="item_queue_idx")]

    def __str__(self):
        return f"{self.project}: {self.article}"


class Assignment(models.Model):
    """One annotator on one item, with a lease that expires. An annotator works on one item of
    a project at a time: at most one active assignment per annotator and project (a partial
    unique constraint); items given by a manager or sent back while they hold one wait, queued,
    until the queue hands them out."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        QUEUED = "queued", "Queued for the annotator"
        SUBMITTED = "submitted", "Submitted"
        SKIPPED = "skipped", "Skipped"
        EXPIRED = "expired", "Expired"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    # The item's project, kept here so that the database can hold one active assignment per
    # annotator and project (a constraint cannot reach through the item).
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    leased_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["item", "annotator"], name="assignment_once_per_annotator"),
                       models.UniqueConstraint(fields=["project", "annotator"], condition=Q(status="active"),
                                               name="assignment_one_active_per_project")]
        indexes = [models.Index(fields=["annotator", "status"], name="assignment_annotator_idx"),
                   models.Index(fields=["status", "leased_until"], name="assignment_lease_idx")]

    def __str__(self):
        return f"{self.annotator} on item {self.item_id} ({self.status})"

    def save(self, *args, **kwargs):
        self.project_id = self.item.project_id  # always the item's
        super().save(*args, **kwargs)


class LabelOrigin(models.TextChoices):
    """Where one label came from. A machine's suggestion becomes a label only when a person
    accepts it (or changes it); nothing a predictor guessed is stored as typed by a person."""

    PERSON = "person", "Typed by a person"
    ACCEPTED = "accepted", "Accepted suggestion"
    CHANGED = "changed", "Changed suggestion"
    IMPORTED = "imported", "Imported"


class LabelFields(models.Model):
    """Document labels shared by annotations, gold and predictions' accepted form."""

    sentiment = models.CharField(max_length=32, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text="Topic ids.")
    provenance = models.JSONField(
        default=dict, blank=True,
        help_text='Where the document labels came from: {"sentiment": SOURCE, "topics": {"<topic id>": SOURCE}}, '
                  'SOURCE = {"origin": a LabelOrigin, "predictor": kind, "version": version} (predictor and '
                  "version for accepted and changed suggestions). A label missing here was typed by a person.")

    objects = LabelsQuerySet.as_manager()

    class Meta:
        abstract = True


class Annotation(LabelFields):
    """One submit of an annotator's labels for an item. Every submit is kept; the highest
    version is current, and an update must name the version it was based on."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField()
    lead_time_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Time from assignment to submit.")
    rejected_suggestions = models.JSONField(
        default=list, blank=True,
        help_text='Suggestions the annotator rejected: [{"key": "span:<start>:<end>:<label>" | "sentiment" | '
                  '"topic:<id>" | "entity-sentiment:<start>:<end>:<label>", "predictor": kind, "version": version}].')
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["item", "annotator", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "annotator", "version"], name="annotation_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
        ]

    def __str__(self):
        return f"{self.annotator} v{self.version} on item {self.item_id}"


class SpanFields(models.Model):
    """A labelled span: code-point offsets into Article.body, end-exclusive."""

    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.CharField(max_length=50)
    text = models.TextField(help_text="The covered text, kept to verify offsets.")
    sentiment = models.CharField(max_length=32, blank=True, help_text="Sentiment toward this entity.")
    origin = models.CharField(max_length=16, choices=LabelOrigin.choices, default=LabelOrigin.PERSON,
                              help_text="Where the span came from.")
    sentiment_origin = models.CharField(max_length=16, choices=LabelOrigin.choices, blank=True,
                                        help_text="Where the sentiment toward the entity came from; empty without one.")
    predictor = models.CharField(max_length=100, blank=True,
                                 help_text="The predictor whose suggestion was accepted or changed.")
    predictor_version = models.CharField(max_length=50, blank=True)

    class Meta:
        abstract = True
        ordering = ["start", "end"]


class AnnotationSpan(SpanFields):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="spans")

    class Meta(SpanFields.Meta):
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_span_ordered")]


class Gold(LabelFields):
    """The reviewed, final labels of an item. At most one accepted gold per item."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        SUPERSEDED = "superseded", "Superseded"
        REOPENED = "reopened", "Reopened"

    class Origin(models.TextChoices):
        REVIEW = "review", "Reviewed"
        UNANIMOUS = "unanimous", "Unanimous annotators"
        IMPORT = "import", "Imported"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="gold")
    version = models.PositiveIntegerField(help_text="1, 2, 3… per item: the item's gold history.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.REVIEW)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    based_on = models.ForeignKey(Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, help_text="The reviewer's note on accepting it.")
    created_at = models.DateTimeField(auto_now_add=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True, help_text="Why the gold was reopened for review.")

    class Meta:
        verbose_name_plural = "gold"
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(status="accepted"),
                                               name="one_accepted_gold_per_item"),
                       models.UniqueConstraint(fields=["item", "version"], name="gold_unique_version"),
                       models.CheckConstraint(condition=Q(version__gte=1), name="gold_version_positive")]

    def __str__(self):
        return f"Gold v{self.version} for item {self.item_id} ({self.status})"


class SendBack(models.Model):
    """A reviewer returned an item to its annotators, with a note they see on the labeling page."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="send_backs")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    note = models.TextField(blank=True, help_text="What the annotators should look at again.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-created_at"]

    def __str__(self):
        return f"Item {self.item_id} sent back by {self.reviewer}"


class GoldSpan(SpanFields):
    gold = models.ForeignKey(Gold, on_delete=models.CASCADE, related_name="spans")

    class Meta(SpanFields.Meta):
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="gold_span_ordered")]


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
    """A topic model trained on a project's gold; the newest takes over topic suggestions."""

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


from .model_versions import ModelVersion  # noqa: E402,F401  (a model of this app, in its own module)
