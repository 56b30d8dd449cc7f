"""Reads of labeling data, always scoped to the caller."""

from django.db.models import Q, QuerySet

from .models import Annotation, Assignment, Gold, Item, Membership, Project
from .review import Version, disagreements

Role = Membership.Role


def project_list(*, user) -> QuerySet[Project]:
    """Projects the user is a member of (staff see all)."""
    projects = Project.objects.all()
    return projects if user.is_staff else projects.filter(pk__in=Membership.objects.filter(user=user).values("project"))


def project_role(*, project: Project, user) -> str | None:
    """The user's role in the project; staff act as managers."""
    if user.is_staff:
        return Role.MANAGER
    return project.memberships.filter(user=user).values_list("role", flat=True).first()


def item_list(*, user) -> QuerySet[Item]:
    """Items the user may open: all items of projects they review or manage, and the
    items assigned to them where they annotate."""
    items = Item.objects.select_related("article__source", "project")
    if user.is_staff:
        return items
    overseen = Membership.objects.filter(user=user, role__in=[Role.REVIEWER, Role.MANAGER]).values("project")
    # Subqueries rather than a join: no duplicate rows, so no DISTINCT over the item table.
    assigned = Assignment.objects.filter(annotator=user).values("item")
    return items.filter(Q(project__in=overseen) | Q(pk__in=assigned))


def annotation_list(*, item: Item, user) -> QuerySet[Annotation]:
    """Current and past annotations of an item the user may see: only their own for an
    annotator of a blind project, everyone's for reviewers and managers."""
    annotations = item.annotations.prefetch_related("spans").select_related("annotator")
    role = project_role(project=item.project, user=user)
    if role in (Role.REVIEWER, Role.MANAGER) or not item.project.blind:
        return annotations
    return annotations.filter(annotator=user)


def annotations_for_review() -> QuerySet[Annotation]:
    """Each annotator's current annotation, by annotator name, with what ``review_versions`` reads."""
    return Annotation.objects.current().select_related("annotator").prefetch_related("spans").order_by(
        "annotator__username", "annotator_id")


def review_versions(annotations) -> list[Version]:
    """``annotations`` (from ``annotations_for_review``) as the Versions a review compares."""
    return [Version(annotator=a.annotator.get_username(), annotation_id=a.pk, version=a.version,
                    sentiment=a.sentiment, topics=tuple(a.topics),
                    spans=tuple((s.start, s.end, s.label, s.text) for s in a.spans.all()))
            for a in annotations]


def item_review(*, item: Item) -> dict:
    """Every annotator's current labels for ``item`` side by side, disagreements marked,
    and the accepted gold if there is one."""
    versions = review_versions(annotations_for_review().filter(item=item))
    gold = item.gold.filter(status=Gold.Status.ACCEPTED).prefetch_related("spans").first()
    return {
        "item": item.pk, "status": item.status,
        "annotations": [{"annotator": v.annotator, "annotation": v.annotation_id, "version": v.version,
                         "sentiment": v.sentiment, "topics": list(v.topics),
                         "spans": [dict(zip(("start", "end", "label", "text"), s)) for s in v.spans]}
                        for v in versions],
        "disagreements": disagreements(versions),
        "gold": None if gold is None else {"id": gold.pk, "origin": gold.origin, "sentiment": gold.sentiment,
                                           "topics": gold.topics, "spans": list(gold.spans.values(
                                               "start", "end", "label", "text"))},
    }
