"""Who may do what in a project: role permissions, their named compositions, and permissions
declared per action of a viewset.

Roles are per project (a member may hold several), so the role classes check objects (the project of the URL, or the
object's project). A viewset declares its role matrix once, as a mapping from action to
permission classes (``ActionPermissionsMixin``), with the compositions below as its values.
"""

from rest_framework import permissions

from .models import Membership
from .selectors import project_roles

Role = Membership.Role


def member_roles(request, project) -> frozenset[str]:
    """The requesting user's roles in ``project``, read once per request: the permission check
    and the answer (what a blind project hides) share them."""
    read = request.__dict__.setdefault("_project_roles", {})
    if project.pk not in read:
        read[project.pk] = project_roles(project=project, user=request.user)
    return read[project.pk]


class _HasRole(permissions.BasePermission):
    roles: tuple[str, ...] = ()

    def has_object_permission(self, request, view, obj):
        project = getattr(obj, "project", obj)
        return not member_roles(request, project).isdisjoint(self.roles)


class IsProjectMember(_HasRole):
    roles = (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER)


class IsAnnotator(_HasRole):
    roles = (Role.ANNOTATOR,)


class IsReviewer(_HasRole):
    roles = (Role.REVIEWER, Role.MANAGER)


class IsManager(_HasRole):
    roles = (Role.MANAGER,)


# What the actions of the API ask for, by name: a signed-in user with a role in the project.
Member = permissions.IsAuthenticated & IsProjectMember
Annotator = permissions.IsAuthenticated & IsAnnotator
Reviewer = permissions.IsAuthenticated & IsReviewer
Manager = permissions.IsAuthenticated & IsManager
Staff = permissions.IsAdminUser


class ActionPermissionsMixin:
    """Permissions declared per action: ``action_permissions`` maps an action ("list",
    "create", "next", ...) to its permission classes; other actions get ``permission_classes``."""

    action_permissions: dict[str, list] = {}

    def get_permissions(self):
        classes = self.action_permissions.get(self.action, self.permission_classes)
        return [permission() for permission in classes]
