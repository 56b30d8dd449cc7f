"""URLs: the admin, the REST API under /api/ (one router), its schema and docs."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from annotations import api as annotations_api
from ingest import api as ingest_api

router = DefaultRouter()
ingest_api.register(router)
annotations_api.register(router)


def health(request):
    """Liveness probe for load balancers and compose health checks."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/auth/", include("rest_framework.urls")),
    path("health/", health, name="health"),
]
