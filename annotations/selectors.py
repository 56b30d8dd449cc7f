"""Reads of labeling data, always scoped to the caller."""

from django.db.models import Q, QuerySet

from .models import Annotation, Item, Membership, Project

Role = Membership.Role


def project_list(*, user) -> QuerySet[Project]:
    """Projects the user is a member of (staff see all)."""
    projects = Project.objects.all()
    return projects if user.is_staff else projects.filter(memberships__user=user).distinct()


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
    return items.filter(Q(project__in=overseen) | Q(assignments__annotator=user)).distinct()


def annotation_list(*, item: Item, user) -> QuerySet[Annotation]:
    """Current and past annotations of an item the user may see: only their own for an
    annotator of a blind project, everyone's for reviewers and managers."""
    annotations = item.annotations.prefetch_related("spans").select_related("annotator")
    role = project_role(project=item.project, user=user)
    if role in (Role.REVIEWER, Role.MANAGER) or not item.project.blind:
        return annotations
    return annotations.filter(annotator=user)
