"""URLs: the admin, the REST API under /api/ (one router), its schema and docs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from annotations import api as annotations_api
from ingest import api as ingest_api
from newsroom.api import tokens

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Administration"

router = DefaultRouter()
ingest_api.register(router, imports=annotations_api.ImportBatchViewSet)
annotations_api.register(router)


def health(request):
    """Liveness probe for load balancers and compose health checks."""
    return JsonResponse({"status": "ok"})


# Under /api/ a request Django refuses, a URL no route matches or a crash answer the envelope too.
handler400 = "newsroom.api.errors.bad_request"
handler404 = "newsroom.api.errors.page_not_found"
handler500 = "newsroom.api.errors.server_error"

urlpatterns = [
    path("", include("annotations.pages.urls")),
    # The admin's login form, open to every active user (the admin's own admits staff only).
    path("accounts/login/", auth_views.LoginView.as_view(template_name="admin/login.html",
                                                         extra_context={"site_header": admin.site.site_header}),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/auth/token/", tokens.TokenView.as_view(), name="api-token"),
    path("api/auth/token/rotate/", tokens.TokenRotateView.as_view(), name="api-token-rotate"),
    path("api/auth/", include("rest_framework.urls")),
    path("health/", health, name="health"),
]
