"""The schema editor: a project's entity types, topic tree, sentiment scale and guidelines, for
its managers (and staff).

The page only renders the frame; its script (``static/annotations/schema/``) reads and writes
the schema through the REST API (``/api/projects/{id}/``, ``.../entity-types/``,
``.../topics/``) with the session and the CSRF token, sending each object's etag as If-Match
so that an edit made from a stale page is refused (412), never saved over a colleague's.
The guidelines preview is rendered here, by the renderer the labeling page uses, so that
the preview is exactly what annotators will see.
"""

from django.http import HttpResponse
from django.urls import path, reverse
from django.views import View
from django.views.generic import TemplateView

from .base import ProjectPageMixin, Role
from .labeling.guidelines import guidelines_html

# Longer guidelines than this are not guidelines; the preview refuses to render them.
MAX_GUIDELINES_PREVIEW_CHARS = 200_000


class SchemaEditorPage(ProjectPageMixin, TemplateView):
    template_name = "pages/schema.html"
    page_title = "Schema"
    roles = (Role.MANAGER,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.project.pk
        context.update(
            project_api=reverse("project-detail", args=[pk]),
            entity_types_api=reverse("project-entity-type-list", kwargs={"project_pk": pk}),
            topics_api=reverse("project-topic-list", kwargs={"project_pk": pk}),
            preview_url=reverse("pages:schema-guidelines-preview", args=[pk]),
        )
        return context


class GuidelinesPreview(ProjectPageMixin, View):
    """POST ``guidelines`` (form-encoded): the HTML annotators would see, as a fragment."""

    roles = (Role.MANAGER,)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        text = request.POST.get("guidelines", "")
        if len(text) > MAX_GUIDELINES_PREVIEW_CHARS:
            return HttpResponse("The guidelines are too long to preview.", status=400, content_type="text/plain")
        return HttpResponse(guidelines_html(text), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("projects/<int:project_pk>/schema/", SchemaEditorPage.as_view(), name="schema"),
    path("projects/<int:project_pk>/schema/guidelines-preview/", GuidelinesPreview.as_view(),
         name="schema-guidelines-preview"),
]
