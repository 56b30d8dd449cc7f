"""Reads of labeling data, always scoped to the caller."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Annotation, Assignment, Gold, Item, Membership, Project
from .review import ReviewSpan, Version, accepted_keys, disagreements

Role = Membership.Role


def project_list(*, user) -> QuerySet[Project]:
    """Projects the user is a member of (staff see all)."""
    projects = Project.objects.all()
    return projects if user.is_staff else projects.filter(pk__in=Membership.objects.filter(user=user).values("project"))


# Staff act as managers and reviewers of every project; they label only where they hold the annotator role.
STAFF_ROLES = frozenset({Role.MANAGER, Role.REVIEWER})


def project_roles(*, project: Project, user) -> frozenset[str]:
    """The user's roles in the project (empty for a non-member); staff also act as managers."""
    roles = frozenset(project.memberships.filter(user=user).values_list("role", flat=True))
    return roles | STAFF_ROLES if user.is_staff else roles


# From the role that opens the most to the one that opens the least: what one word for a member says.
ROLES_BY_REACH = (Role.MANAGER, Role.REVIEWER, Role.ANNOTATOR)


def role_highest(roles) -> str | None:
    """The role of ``roles`` that opens the most (manager, then reviewer, then annotator)."""
    return next((role for role in ROLES_BY_REACH if role in roles), None)


def project_role(*, project: Project, user) -> str | None:
    """The one of the user's roles in the project that opens the most (see ``project_roles`` for all)."""
    return role_highest(project_roles(project=project, user=user))


def item_list(*, user) -> QuerySet[Item]:
    """Items the user may open: all items of projects they review or manage now, and the
    items assigned to them in projects they annotate now (a removed member sees nothing)."""
    items = Item.objects.select_related("article__source", "project")
    if user.is_staff:
        return items
    overseen = Membership.objects.filter(user=user, role__in=[Role.REVIEWER, Role.MANAGER]).values("project")
    annotated = Membership.objects.filter(user=user, role=Role.ANNOTATOR).values("project")
    # Subqueries rather than a join: no duplicate rows, so no DISTINCT over the item table. The
    # assignment's own project (always its item's) spares a join to the item table, and a
    # correlated EXISTS lets the planner probe one item's assignment (an item opened, a submit)
    # instead of gathering all of the annotator's items first, or hash them for a list.
    assigned = Assignment.objects.filter(item=OuterRef("pk"), annotator=user, project__in=annotated)
    return items.filter(Q(project__in=overseen) | Exists(assigned))


def projects_blind_to(*, user) -> set[int]:
    """Ids of the projects where nothing of the other annotators' work may reach ``user``:
    blind projects they annotate and neither review nor manage. Their items show no counts,
    status or agreement, and filters over them match only the user's own labels."""
    if user.is_staff:
        return set()
    overseen = Membership.objects.filter(user=user, role__in=[Role.REVIEWER, Role.MANAGER]).values("project")
    return set(Membership.objects.filter(user=user, role=Role.ANNOTATOR, project__blind=True)
               .exclude(project__in=overseen).values_list("project", flat=True))


def project_is_blind_to(*, project: Project, roles: frozenset[str]) -> bool:
    """Whether ``project`` is blind to a user with ``roles`` in it (see ``projects_blind_to``; staff
    hold the manager's roles there)."""
    return project.blind and Role.ANNOTATOR in roles and roles.isdisjoint({Role.REVIEWER, Role.MANAGER})


def projects_overseen_by(*, user) -> QuerySet[Project]:
    """The projects whose every annotator's work ``user`` may see: those they review or manage."""
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user, memberships__role__in=[Role.REVIEWER, Role.MANAGER])


def annotation_list(*, item: Item, user) -> QuerySet[Annotation]:
    """Current and past annotations of an item the user may see: only their own for an
    annotator of a blind project, everyone's for reviewers and managers."""
    annotations = item.annotations.prefetch_related("spans").select_related("annotator")
    roles = project_roles(project=item.project, user=user)
    if roles & {Role.REVIEWER, Role.MANAGER} or not item.project.blind:
        return annotations
    return annotations.filter(annotator=user)


def annotations_for_review() -> QuerySet[Annotation]:
    """Each annotator's current annotation, by annotator name, with what ``review_versions`` reads."""
    return Annotation.objects.current().select_related("annotator").prefetch_related("spans").order_by(
        "annotator__username", "annotator_id")


def review_versions(annotations) -> list[Version]:
    """``annotations`` (from ``annotations_for_review``) as the Versions a review compares,
    entity sentiment and what was taken from suggestions included."""
    return [Version(annotator=a.annotator.get_username(), annotation_id=a.pk, version=a.version,
                    sentiment=a.sentiment, topics=tuple(a.topics),
                    spans=tuple(ReviewSpan(s.start, s.end, s.label, s.text, s.sentiment) for s in a.spans.all()),
                    accepted=accepted_keys(sentiment=a.sentiment, topics=a.topics, provenance=a.provenance or {},
                                           spans=a.spans.all()))
            for a in annotations]


def item_review(*, item: Item) -> dict:
    """Every annotator's current labels for ``item`` side by side (with each label's
    provenance), disagreements marked, the accepted gold if there is one, every gold
    version newest first, and the notes the item was sent back with."""
    annotations = list(annotations_for_review().filter(item=item))
    versions = review_versions(annotations)
    history = list(item.gold.select_related("reviewer", "reopened_by").prefetch_related("spans").order_by("-version"))
    current = next((gold for gold in history if gold.status == Gold.Status.ACCEPTED), None)
    return {
        "item": item.pk, "status": item.status,
        "annotations": [_review_annotation(a) for a in annotations],
        "disagreements": disagreements(versions),
        "gold": None if current is None else {**_gold_labels(current), "id": current.pk, "origin": current.origin,
                                              "version": current.version},
        "gold_history": [gold_version(gold) for gold in history],
        "send_backs": [{"reviewer": _name(back.reviewer), "note": back.note, "created_at": back.created_at}
                       for back in item.send_backs.select_related("reviewer").order_by("-created_at", "-id")],
    }


def gold_version(gold: Gold) -> dict:
    """One version of an item's gold as its history shows it: who made it, when and how,
    and who reopened it, when and why."""
    return {"id": gold.pk, "version": gold.version, "status": gold.status, "origin": gold.origin,
            "reviewer": _name(gold.reviewer), "created_at": gold.created_at, "note": gold.note,
            "based_on": gold.based_on_id, "reopened_by": _name(gold.reopened_by), "reopened_at": gold.reopened_at,
            "reopen_reason": gold.reopen_reason, **_gold_labels(gold)}


def _review_annotation(annotation: Annotation) -> dict:
    return {"annotator": annotation.annotator.get_username(), "annotation": annotation.pk,
            "version": annotation.version, "sentiment": annotation.sentiment, "topics": list(annotation.topics),
            "provenance": annotation.provenance or {}, "spans": [_span(s) for s in annotation.spans.all()]}


def _gold_labels(gold: Gold) -> dict:
    return {"sentiment": gold.sentiment, "topics": gold.topics, "provenance": gold.provenance or {},
            "spans": [_span(s) for s in gold.spans.all()]}


def _span(span) -> dict:
    return {"start": span.start, "end": span.end, "label": span.label, "text": span.text,
            "sentiment": span.sentiment, "origin": span.origin, "sentiment_origin": span.sentiment_origin,
            "predictor": span.predictor, "predictor_version": span.predictor_version}


def _name(user) -> str | None:
    return None if user is None else user.get_username()
