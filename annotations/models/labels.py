"""Labels: annotations and gold with their spans and provenance, and send-backs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ..querysets import AnnotationQuerySet, LabelsQuerySet
from .items import Assignment, Item


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
        # The dashboard's submits per day read the last days only.
        indexes = [models.Index(fields=["created_at"], name="annotation_created_idx")]

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
        # The dashboard's new gold per day reads the last days only.
        indexes = [models.Index(fields=["created_at"], name="gold_created_idx")]

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

