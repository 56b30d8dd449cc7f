"""The import page: upload files or a zip, follow the batch's progress, read its per-item report.

Imports are corpus-wide (projects take articles in through their intake rules), so the page
is not under a project: it opens for whoever the import API admits. The upload, the polling
and the report all go through the REST API (``static/annotations/imports.js``).
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.generic import TemplateView

from ingest.api import CanImport
from ingest.readers import FORMATS
from ingest.search import search_pending_count
from ingest.selectors import import_batch_list

from .base import PageMixin

# Recent batches listed under the form; older ones are in the admin.
RECENT_BATCHES = 10


def can_import(user) -> bool:
    """The import API's rule: staff, or users granted the permission to add import batches."""
    return user.is_authenticated and (user.is_staff or user.has_perm(CanImport.perm))


class ImportPage(PageMixin, TemplateView):
    template_name = "pages/imports.html"
    page_title = "Import articles"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_import(request.user):
            raise PermissionDenied("Importing articles is for managers.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(formats=sorted(FORMATS), batches=import_batch_list()[:RECENT_BATCHES],
                       search_pending=search_pending_count())
        return context


urlpatterns = [path("imports/", ImportPage.as_view(), name="imports")]
