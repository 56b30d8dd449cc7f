"""Items (an article in a project) and the assignments that hand them to annotators."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ingest.models import Article

from .projects import Project


HELD_OUT_ONE_IN = 5
# Knuth's multiplicative hash of an item id, modulo 2**32: a fixed, evenly spread draw per item.
# The queue's indexes are built on these three numbers (item_queue_draw_idx, and the predicate of
# item_uncertainty_train_idx in migration 0019): changing one needs a migration rebuilding them.
ITEM_DRAW_MULTIPLIER, ITEM_DRAW_MODULUS = 2654435761, 2**32


def item_draw(item_id: int) -> int:
    """The item's fixed draw in [0, 2**32): the same on every call and machine (``item_draw_sql`` in SQL)."""
    return item_id * ITEM_DRAW_MULTIPLIER % ITEM_DRAW_MODULUS


def item_draw_sql(id_field: str = "id") -> models.Expression:
    """``item_draw`` of the item id in ``id_field``, computed by the database (ids below 3.4e9 fit a
    64-bit product)."""
    return models.ExpressionWrapper(models.F(id_field) * ITEM_DRAW_MULTIPLIER % ITEM_DRAW_MODULUS,
                                    output_field=models.BigIntegerField())


class GoldSplit(models.TextChoices):
    """Which side of a project's gold an item is on: models train on one, are measured on the other."""

    TRAIN = "train", "Training"
    HELD_OUT = "held_out", "Held out"

    @classmethod
    def for_item(cls, item_id: int) -> "GoldSplit":
        """The side of item ``item_id``, fixed by its id: the same on every call and machine, and
        spread evenly over consecutive ids (Knuth's multiplicative hash)."""
        return cls.HELD_OUT if item_draw(item_id) % HELD_OUT_ONE_IN == 0 else cls.TRAIN


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
    uncertainty = models.FloatField(
        null=True, blank=True,
        help_text="How unsure the project's live document-sentiment model is of the item, 0 (sure) to 1, written "
                  "when that model pre-annotates it; the uncertainty-ordered queue serves the highest first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "article"], name="item_unique_article")]
        indexes = [models.Index(fields=["project", "status", "assigned_count"], name="item_queue_idx"),
                   # The item browser's keyset pages: by id, by status then id, by agreement then id.
                   models.Index(fields=["project", "id"], name="item_browser_id_idx"),
                   models.Index(fields=["project", "status", "id"], name="item_browser_status_idx"),
                   models.Index(fields=["project", "agreement", "id"], name="item_browser_agreement_idx"),
                   # The queue's random claims: a project's open items in their fixed draw's order,
                   # walked to the first free one instead of all sorted (the expression is
                   # item_draw_sql's, which the planner must match exactly).
                   models.Index(models.F("project"), item_draw_sql(), models.F("id"), condition=Q(status="open"),
                                name="item_queue_draw_idx")]
        # "Most uncertain first" among a project's open training-side items (held-out ones are only
        # claimed at random): item_uncertainty_train_idx, PostgreSQL only (SQLite has no NULLS LAST
        # in an index), made by migration 0019.

    def __str__(self):
        return f"{self.project}: {self.article}"


class ProjectItemCounts(models.Model):
    """A project's items per status, kept in step in the transactions that create items or change
    their status (``annotations.counters``), so that dashboards and project pages read one row
    instead of counting items. ``manage.py item_counts_recompute`` counts them afresh."""

    project = models.OneToOneField(Project, primary_key=True, on_delete=models.CASCADE, related_name="item_counts")
    open = models.IntegerField(default=0)
    annotated = models.IntegerField(default=0)
    gold = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = "project item counts"

    def __str__(self):
        return f"{self.project}: {self.open} open, {self.annotated} annotated, {self.gold} gold"

    @property
    def total(self) -> int:
        return self.open + self.annotated + self.gold


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

