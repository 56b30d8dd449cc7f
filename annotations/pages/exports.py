"""The export page: download a project's labels now, or build a release and download it later.

The download is a plain GET form aimed at the export endpoint of the API (the browser saves
the streamed file); releases are created and listed through the releases API from the page's
script (``static/annotations/exports.js``), which also says, before anything is sent, that the
formats holding only gold (CoNLL, spaCy) cannot export every item: the API refuses that too.
"""

from django.db.models import QuerySet
from django.urls import path, reverse
from django.views.generic import TemplateView

from ingest.models import Source

from ..datasets.exports import LABELS_ANNOTATIONS, LABELS_BOTH, LABELS_GOLD
from ..datasets.formats import FORMATS
from ..datasets.formats.csv import FORMULAS_ESCAPE, FORMULAS_RAW
from ..models import Item, Project
from .base import ProjectPageMixin, Role

# How each format is offered in the form; a format registered later shows under its key.
FORMAT_LABELS = {
    "jsonl": "JSONL: lossless, re-importable",
    "conll": "CoNLL-2003 BIO: entities, one token per line",
    "spacy": "spaCy DocBin: for spacy train",
    "csv": "CSV: one row per article",
}


def project_sources(*, project: Project) -> QuerySet[Source]:
    """Outlets of the project's articles, for the export's source filter."""
    return Source.objects.filter(pk__in=Item.objects.filter(project=project).values("article__source")).order_by("name")


class ExportPage(ProjectPageMixin, TemplateView):
    template_name = "pages/exports.html"
    page_title = "Export"
    roles = (Role.MANAGER,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            formats=[(name, FORMAT_LABELS.get(name, name), fmt.every_item) for name, fmt in FORMATS.items()],
            every_item_formats=", ".join(FORMAT_LABELS.get(name, name).split(":")[0]
                                         for name, fmt in FORMATS.items() if fmt.every_item),
            csv_formulas=[(FORMULAS_ESCAPE, "Escaped: a quote before cells a spreadsheet would run (= + - @)"),
                          (FORMULAS_RAW, "Raw: every cell as it is")],
            label_sets=[(LABELS_GOLD, "Gold: the accepted gold, one record per item"),
                        (LABELS_ANNOTATIONS, "Annotations: each annotator's latest labels, a record each"),
                        (LABELS_BOTH, "Both: the gold record, then each annotator's")],
            sources=project_sources(project=self.project),
            topics=self.project.topics.select_related("parent"),
            export_url=reverse("project-export", args=[self.project.pk]),
            releases_url=reverse("project-release-list", kwargs={"project_pk": self.project.pk}),
        )
        return context


urlpatterns = [path("projects/<int:project_pk>/export/", ExportPage.as_view(), name="exports")]
