"""What every page shares: the admin's context (header, navigation) and role checks."""

from django.contrib import admin
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ..models import Membership, Project
from ..selectors import project_roles, role_highest

Role = Membership.Role


class PageMixin(LoginRequiredMixin):
    """A logged-in page rendered inside the admin's chrome (``pages/base.html``)."""

    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context.setdefault("title", self.page_title)
        return context


class ProjectPageMixin(PageMixin):
    """A page about one project (``project_pk`` in the URL), open to the roles listed."""

    roles: tuple[str, ...] = (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = get_object_or_404(Project, pk=kwargs["project_pk"])
        self.member_roles = project_roles(project=self.project, user=request.user)
        if self.member_roles.isdisjoint(self.roles):
            raise PermissionDenied("Your role in this project does not open this page.")
        self.role = role_highest(self.member_roles)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(project=self.project, role=self.role, member_roles=self.member_roles)
        return context
