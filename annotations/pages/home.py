"""The start page: the caller's projects, with the pages their roles open."""

from django.urls import path
from django.views.generic import TemplateView

from ..models import Membership, Project
from ..selectors import ROLES_BY_REACH, STAFF_ROLES, project_list
from .base import PageMixin, Role
from .imports import can_import


def projects_with_roles(*, user) -> list[Project]:
    """The user's projects, each with ``roles`` (a set; staff also act as managers), in two queries."""
    roles: dict[int, set[str]] = {}
    for project_id, role in Membership.objects.filter(user=user).values_list("project", "role"):
        roles.setdefault(project_id, set()).add(role)
    projects = list(project_list(user=user))
    for project in projects:
        project.roles = roles.get(project.pk, set()) | (STAFF_ROLES if user.is_staff else set())
        project.role_names = ", ".join(role for role in reversed(ROLES_BY_REACH) if role in project.roles)
    return projects


class HomePage(PageMixin, TemplateView):
    template_name = "pages/home.html"
    page_title = "Your projects"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(projects=projects_with_roles(user=self.request.user), roles=Role,
                       can_import=can_import(self.request.user))
        return context


urlpatterns = [path("", HomePage.as_view(), name="home")]
