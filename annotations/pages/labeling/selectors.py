"""What the labeling page needs: the caller's assignment, progress, and the item's payload for
the browser (schema, their labels, the predictors' suggestions).

Reads only. Offsets in the payload are code points, as in the database and the API; the page
converts them to the browser's UTF-16 units and back.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ...counters import project_item_counts
from ...models import Assignment, Item, Project, SendBack, Topic
from ...preannotation.suggestions import predictions_newest, suggestions_from
from ...projects import topic_paths
from ...services import annotation_current

# An annotator may open the items they hold or have submitted (to re-edit them), never one they
# skipped or whose lease expired: that item went back to the queue for someone else.
OPENABLE = (Assignment.Status.ACTIVE, Assignment.Status.SUBMITTED)
# Between the names of a topic's path in the topic search, where it reads as a breadcrumb.
TOPIC_PATH_SHOWN = " › "
# Other versions of a story listed beside the article: enough for context, bounded for big clusters.
STORY_VERSIONS_SHOWN = 20
# Where each saved span came from, shown beside it.
SPAN_PROVENANCE = ("origin", "sentiment_origin", "predictor", "predictor_version")


# --- the caller's work -----------------------------------------------------------

def labeling_assignment_get(*, project: Project, annotator, item_pk: int) -> Assignment | None:
    """The annotator's open or submitted assignment on item ``item_pk`` of ``project``, or None."""
    return (Assignment.objects.select_related("item__article__source", "item__project")
            .filter(item_id=item_pk, item__project=project, annotator=annotator, status__in=OPENABLE).first())


def labeling_current_get(*, project: Project, annotator) -> Assignment | None:
    """The annotator's active assignment in ``project`` (the item "Next item" returns), or None."""
    return Assignment.objects.filter(project=project, annotator=annotator, status=Assignment.Status.ACTIVE).first()


def previous_item_id(*, project: Project, annotator, current: Assignment | None = None) -> int | None:
    """The item the annotator submitted last in ``project`` (before ``current`` if that is
    submitted too, so that "previous" walks back through their history)."""
    submitted = Assignment.objects.filter(item__project=project, annotator=annotator,
                                          status=Assignment.Status.SUBMITTED, submitted_at__isnull=False)
    if current is not None:
        submitted = submitted.exclude(pk=current.pk)
        if current.submitted_at is not None:
            submitted = submitted.filter(submitted_at__lt=current.submitted_at)
    return submitted.order_by("-submitted_at", "-id").values_list("item_id", flat=True).first()


def send_back_latest(*, item: Item) -> SendBack | None:
    """The latest time a reviewer sent ``item`` back to its annotators, with their note, or None."""
    return item.send_backs.select_related("reviewer").order_by("-created_at", "-id").first()


def send_back_answered(*, send_back: SendBack, annotator) -> bool:
    """Whether ``annotator`` has saved a version of the item since it was sent back."""
    return send_back.item.annotations.filter(annotator=annotator, created_at__gt=send_back.created_at).exists()


@dataclass(frozen=True)
class Progress:
    done_today: int
    done: int
    remaining: int  # the annotator's active and queued items plus what the queue could still hand them
    remaining_more: bool  # more than ``remaining``: the queue's part is counted up to a bound
    project_done: int | None  # items with all their annotators' submits; None in a blind project (others' work)
    project_total: int


# How many of the items the queue could still hand an annotator the progress line counts exactly.
REMAINING_COUNTED_UP_TO = 1_000


def labeling_progress(*, project: Project, annotator) -> Progress:
    """How far the annotator and the project are: done today, done overall, remaining; a blind
    project does not tell its annotators how far the others are."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    submitted = Q(status=Assignment.Status.SUBMITTED)
    mine = Assignment.objects.filter(project=project, annotator=annotator).aggregate(
        done=Count("id", filter=submitted), done_today=Count("id", filter=submitted & Q(submitted_at__gte=midnight)),
        active=Count("id", filter=Q(status__in=[Assignment.Status.ACTIVE, Assignment.Status.QUEUED])))
    # Counted up to a bound: past it the page says "more than", and the count stays a short index
    # walk however many items a project holds.
    waiting = (Item.objects.filter(project=project, status=Item.Status.OPEN, assigned_count__lt=project.overlap)
               .exclude(assignments__annotator=annotator).order_by("pk")[:REMAINING_COUNTED_UP_TO + 1].count())
    items = project_item_counts(project=project)
    return Progress(done_today=mine["done_today"], done=mine["done"],
                    remaining=min(waiting, REMAINING_COUNTED_UP_TO) + mine["active"],
                    remaining_more=waiting > REMAINING_COUNTED_UP_TO,
                    project_done=None if project.blind else items.annotated + items.gold, project_total=items.total)


@dataclass(frozen=True)
class StoryVersion:
    title: str
    source: str
    published_at: object  # datetime or None
    item_id: int | None  # the version's item in this project, if it has one
    openable: bool  # the annotator may open that item


def story_versions(*, item: Item, annotator) -> list[StoryVersion]:
    """Other articles of the item's story cluster, with their items in the same project."""
    article = item.article
    if article.story_cluster_id is None:
        return []
    others = list(article.story_cluster.articles.exclude(pk=article.pk).select_related("source")
                  .order_by("-published_at", "id")[:STORY_VERSIONS_SHOWN])
    items = dict(Item.objects.filter(project=item.project_id, article__in=[other.pk for other in others])
                 .values_list("article_id", "id"))
    openable = set(Assignment.objects.filter(item_id__in=items.values(), annotator=annotator, status__in=OPENABLE)
                   .values_list("item_id", flat=True))
    return [StoryVersion(title=other.title, source=str(other.source or ""), published_at=other.published_at,
                         item_id=items.get(other.pk), openable=items.get(other.pk) in openable) for other in others]


# --- the page's data -----------------------------------------------------------

def labeling_payload(*, item: Item, annotator) -> dict:
    """Everything the page's script needs for one item, JSON-ready (see static/annotations/labeling/state.js):
    the schema; the annotator's current labels with their provenance and the suggestions they
    rejected; and the suggestions offered (``suggestions_from``: each with its key, as the
    submit checks them, nothing pre-selected)."""
    project = item.project
    body = item.article.body
    topics = list(project.topics.all())
    schema = {
        "entity_types": list(project.entity_types.values("name", "colour", "hotkey")),
        "topics": topics_in_tree_order(topics),
        "sentiment_scale": list(project.sentiment_scale),
        "entity_sentiment": project.entity_sentiment,
        "allow_overlapping_spans": project.allow_overlapping_spans,
    }
    annotation = annotation_current(item=item, annotator=annotator)
    labels = None if annotation is None else {
        "version": annotation.version, "sentiment": annotation.sentiment, "topics": annotation.topics,
        "spans": list(annotation.spans.values("start", "end", "label", "text", "sentiment", *SPAN_PROVENANCE)),
        "provenance": annotation.provenance, "rejected_suggestions": annotation.rejected_suggestions,
    }
    predictions = predictions_newest(item.predictions.order_by("predictor", "-created_at", "-id"))
    return {"item": {"id": item.pk, "body": body}, "schema": schema, "annotation": labels,
            "suggestions": suggestions_from(predictions, body=body, schema=schema, topics=topics)}


def topics_in_tree_order(topics: Iterable[Topic]) -> list[dict]:
    """Topics depth-first (parents before their children, siblings by name), each with its depth
    and its path of names, which the page's search matches against."""
    topics = list(topics)
    paths = topic_paths(topics, separator=TOPIC_PATH_SHOWN)
    children: dict[int | None, list[Topic]] = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    ordered: list[dict] = []
    stack = [(topic, 0) for topic in sorted(children.get(None, []), key=lambda t: t.name, reverse=True)]
    while stack:
        topic, depth = stack.pop()
        ordered.append({"id": topic.pk, "name": topic.name, "parent": topic.parent_id, "depth": depth,
                        "path": paths[topic.pk], "description": topic.description})
        stack.extend((child, depth + 1)
                     for child in sorted(children.get(topic.pk, []), key=lambda t: t.name, reverse=True))
    return ordered
