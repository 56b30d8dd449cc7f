"""Role permissions per project, composable with & and |."""

from rest_framework import permissions

from .models import Membership
from .selectors import project_role

Role = Membership.Role


class _HasRole(permissions.BasePermission):
    roles: tuple[str, ...] = ()

    def has_object_permission(self, request, view, obj):
        project = getattr(obj, "project", obj)
        return project_role(project=project, user=request.user) in self.roles


class IsProjectMember(_HasRole):
    roles = (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER)


class IsAnnotator(_HasRole):
    roles = (Role.ANNOTATOR,)


class IsReviewer(_HasRole):
    roles = (Role.REVIEWER, Role.MANAGER)


class IsManager(_HasRole):
    roles = (Role.MANAGER,)
