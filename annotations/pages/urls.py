"""URLs of the browser pages; each page module owns its own patterns."""

from django.urls import include, path

app_name = "pages"

urlpatterns = [
    path("", include("annotations.pages.home")),
    path("", include("annotations.pages.labeling.views")),
    path("", include("annotations.pages.review")),
    path("", include("annotations.pages.imports")),
    path("", include("annotations.pages.exports")),
    path("", include("annotations.pages.dashboard.views")),
    path("", include("annotations.pages.items.views")),
]
