"""The start page: the caller's projects, with the pages their role opens."""

from django.urls import path
from django.views.generic import TemplateView

from ..selectors import project_list
from .base import PageMixin


class HomePage(PageMixin, TemplateView):
    template_name = "pages/home.html"
    page_title = "Your projects"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = project_list(user=self.request.user)
        return context


urlpatterns = [path("", HomePage.as_view(), name="home")]
