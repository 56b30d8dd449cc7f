"""Projects and their schema: members and their roles, entity types, the topic tree."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ingest.models import ImportBatch, Source

DEFAULT_SENTIMENT_SCALE = ["negative", "neutral", "positive"]
# More annotators per article than this is a mistake, not a design.
MAX_OVERLAP = 20


# Share of an uncertainty-ordered queue's items picked at random: enough for an unbiased held-out
# sample and some variety in training, little enough for the model's questions to dominate.
DEFAULT_UNCERTAINTY_RANDOM_SHARE = 0.2


def default_sentiment_scale():
    return list(DEFAULT_SENTIMENT_SCALE)


class Project(models.Model):
    """A labeling project: its schema, how many annotators see each article, and its intake."""

    class QueueOrder(models.TextChoices):
        DEFAULT = "default", "Oldest item first"
        UNCERTAINTY = "uncertainty", "Most uncertain for the live model first (active learning)"

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
    queue_order = models.CharField(
        max_length=16, choices=QueueOrder.choices, default=QueueOrder.DEFAULT,
        help_text="The order of the next-item queue: oldest item first, or the items the live document-sentiment "
                  "model is least sure of first (a share of them at random, see uncertainty_random_share).")
    uncertainty_random_share = models.FloatField(
        default=DEFAULT_UNCERTAINTY_RANDOM_SHARE, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="With the uncertainty order: the share of items (0 to 1) handed out at random instead. Only "
                  "these are ever held-out gold, so the held-out measure stays unbiased.")
    intake = models.CharField(max_length=16, choices=Intake.choices, default=Intake.ALL)
    intake_sources = models.ManyToManyField(Source, blank=True, related_name="+")
    intake_batches = models.ManyToManyField(ImportBatch, blank=True, related_name="+")
    intake_keywords = models.JSONField(default=list, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(overlap__gte=1), name="project_overlap_positive"),
                       models.CheckConstraint(condition=Q(uncertainty_random_share__gte=0.0,
                                                          uncertainty_random_share__lte=1.0),
                                              name="project_uncertainty_random_share_range")]

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