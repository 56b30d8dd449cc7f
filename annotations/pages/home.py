"""The start page: the caller's projects, with the pages their role opens."""

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.urls import path
from django.views.generic import TemplateView

from ..models import Membership, Project
from ..selectors import project_list
from .base import PageMixin, Role
from .imports import can_import


def projects_with_role(*, user) -> QuerySet[Project]:
    """The user's projects, each with ``role`` (staff act as managers), in one query."""
    if user.is_staff:
        return project_list(user=user).annotate(role=Value(Role.MANAGER))
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return project_list(user=user).annotate(role=Subquery(role))


class HomePage(PageMixin, TemplateView):
    template_name = "pages/home.html"
    page_title = "Your projects"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(projects=projects_with_role(user=self.request.user), roles=Role,
                       can_import=can_import(self.request.user))
        return context


urlpatterns = [path("", HomePage.as_view(), name="home")]
