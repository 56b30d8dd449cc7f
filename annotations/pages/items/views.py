"""The item browser page: search, filter, sort and page through a project's items (what the
caller's role may see), open one to label or review it, and act on a selection.

The page is a GET form and links, so it works without its script; the script
(``static/annotations/items.js``) only adds "select all on this page" and shows the fields
an action needs. Actions are POST forms with the CSRF token, checked against the caller's
role here and run by the services (``actions``).
"""

from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from ...models import Item
from ..base import ProjectPageMixin, Role
from .actions import action_run, actions_for
from .forms import ActionForm, FilterForm
from .keyset import cursor_decode, cursor_encode
from .selectors import Viewer, browser_annotators, browser_count, browser_page, browser_rows, sort_has_datetimes


@method_decorator(never_cache, name="dispatch")
class ItemBrowserMixin(ProjectPageMixin):
    @cached_property
    def viewer(self) -> Viewer:
        return Viewer(user=self.request.user, project=self.project, roles=self.member_roles)


class ItemBrowserPage(ItemBrowserMixin, TemplateView):
    template_name = "pages/items.html"
    page_title = "Items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.viewer
        form = FilterForm(self.request.GET, viewer=viewer)
        form.is_valid()
        filters = form.filters()
        datetimes = sort_has_datetimes(filters.sort)
        page = browser_page(viewer=viewer, filters=filters,
                            after=cursor_decode(self.request.GET.get("after", ""), datetimes=datetimes),
                            before=cursor_decode(self.request.GET.get("before", ""), datetimes=datetimes))
        kept = [(name, value) for name, value in self.request.GET.items() if name not in ("after", "before")
                and value]
        context.update(
            form=form, viewer=viewer, rows=browser_rows(viewer=viewer, items=page.rows),
            count=browser_count(viewer=viewer, filters=filters), actions=actions_for(viewer),
            next_url=_page_url(kept, "after", page.next), previous_url=_page_url(kept, "before", page.previous),
            here=self.request.get_full_path(), filtered=bool(filters.given),
            annotators=browser_annotators(viewer=viewer) if viewer.oversees else [],
        )
        return context


def _page_url(kept, direction: str, cursor) -> str | None:
    return None if cursor is None else "?" + urlencode([*kept, (direction, cursor_encode(cursor))])


class ItemBrowserActionView(ItemBrowserMixin, View):
    """POST: one action on the chosen items, then back to the page the form was on."""

    roles = (Role.REVIEWER, Role.MANAGER)

    def post(self, request, project_pk):
        viewer = self.viewer
        form = ActionForm(request.POST, viewer=viewer)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self._back()
        items = Item.objects.filter(project=self.project, pk__in=form.cleaned_data["items"]).order_by("pk")
        response = action_run(request, viewer=viewer, action=form.cleaned_data["action"], items=items,
                              annotator=form.cleaned_data["annotator"], note=form.cleaned_data["note"])
        return response or self._back()

    def _back(self):
        back = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()},
                                               require_https=self.request.is_secure()):
            back = reverse("pages:items", args=[self.project.pk])
        return redirect(back)


urlpatterns = [
    path("projects/<int:project_pk>/items/", ItemBrowserPage.as_view(), name="items"),
    path("projects/<int:project_pk>/items/actions/", ItemBrowserActionView.as_view(), name="items-actions"),
]
