"""The labeling page: annotators ask for the next item, label it, and submit or skip.

The start screen and the item page are rendered here; submit, skip and lease renewal go
through the REST API from the page's script (``static/annotations/labeling/``, ES modules).
No labeling page is ever cached: Back after a submit must show the saved labels, not the
copy from before it.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from ... import queue
from ...models import Assignment
from ..base import ProjectPageMixin, Role
from .guidelines import guidelines_html
from .selectors import (labeling_assignment_get, labeling_current_get, labeling_payload, labeling_progress,
                        previous_item_id, send_back_answered, send_back_latest, story_versions)

# The open item page renews the lease this many times per lease: a renewal that fails (a
# network blip) still leaves time for the next before the item goes back to the queue.
LEASE_RENEWALS_PER_LEASE = 3


@method_decorator(never_cache, name="dispatch")
class LabelingMixin(ProjectPageMixin):
    roles = (Role.ANNOTATOR,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(progress=labeling_progress(project=self.project, annotator=self.request.user),
                       guidelines=guidelines_html(self.project.guidelines))
        return context


class LabelingStartPage(LabelingMixin, TemplateView):
    """Progress, the guidelines and the one button that hands out work."""

    template_name = "pages/labeling_start.html"
    page_title = "Labeling"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = labeling_current_get(project=self.project, annotator=self.request.user)
        context.update(current=current,
                       previous_item_id=previous_item_id(project=self.project, annotator=self.request.user))
        return context


class LabelingNextView(LabelingMixin, View):
    """POST: claim the caller's current or next item and open it; back to the start when none."""

    def post(self, request, project_pk):
        assignment = queue.assignment_claim_next(project=self.project, annotator=request.user)
        if assignment is None:
            messages.info(request, "Nothing is left for you in this project. Thank you!")
            return redirect("pages:labeling-start", project_pk=project_pk)
        return redirect("pages:labeling-item", project_pk=project_pk, item_pk=assignment.item_id)


class LabelingItemPage(LabelingMixin, TemplateView):
    """One item assigned to (or submitted by) the caller, ready to label."""

    template_name = "pages/labeling_item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = labeling_assignment_get(project=self.project, annotator=self.request.user,
                                             item_pk=kwargs["item_pk"])
        if assignment is None:
            raise Http404("No item of yours with this number in this project.")
        item = assignment.item  # kept: renewing the lease reloads the assignment and drops its relations
        active = assignment.status == Assignment.Status.ACTIVE
        if active:
            queue.assignment_lease_renew(assignment=assignment)  # the annotator is at work on it
        send_back = send_back_latest(item=item)
        answered = send_back is not None and send_back_answered(send_back=send_back, annotator=self.request.user)
        context.update(
            title=item.article.title, assignment=assignment, item=item, article=item.article,
            send_back=send_back, send_back_answered=answered,
            payload=labeling_payload(item=item, annotator=self.request.user),
            previous_item_id=previous_item_id(project=self.project, annotator=self.request.user, current=assignment),
            story_versions=story_versions(item=item, annotator=self.request.user),
            api=page_api(item=item, annotator=self.request.user, active=active),
        )
        return context


class LabelingSignedInPage(LabelingMixin, TemplateView):
    """Where a login opened from an item page with an expired session lands: back to that tab."""

    template_name = "pages/labeling_signed_in.html"
    page_title = "Logged in again"


def page_api(*, item, annotator, active: bool) -> dict:
    """The endpoints the item page's script calls, how often it renews the lease (only an
    active assignment has one; a submitted item is re-edited without), who the annotator is
    (their local drafts are theirs alone), where the login page is (a redirect there means the
    session is gone) and the cookie that holds the current CSRF token (none when the token
    lives in the session; the page then uses the one it was rendered with)."""
    return {"annotations": reverse("item-annotations", args=[item.pk]), "skip": reverse("item-skip", args=[item.pk]),
            "annotator": annotator.get_username(), "user": annotator.pk,
            "lease": reverse("item-lease", args=[item.pk]) if active else None,
            "lease_renew_ms": item.project.lease_minutes * 60_000 // LEASE_RENEWALS_PER_LEASE,
            "login": resolve_url(settings.LOGIN_URL),
            "csrf_cookie": None if settings.CSRF_USE_SESSIONS else settings.CSRF_COOKIE_NAME}


urlpatterns = [
    path("projects/<int:project_pk>/label/", LabelingStartPage.as_view(), name="labeling-start"),
    path("projects/<int:project_pk>/label/next/", LabelingNextView.as_view(), name="labeling-next"),
    path("projects/<int:project_pk>/label/<int:item_pk>/", LabelingItemPage.as_view(), name="labeling-item"),
    path("projects/<int:project_pk>/label/signed-in/", LabelingSignedInPage.as_view(), name="labeling-signed-in"),
]
