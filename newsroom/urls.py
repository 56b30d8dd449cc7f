"""URLs: the admin, the REST API under /api/ (one router), its schema and docs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
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

# The login form, open to every active user (the admin's own admits staff only): its template is
# the admin's, which runs no inline code (the Content-Security-Policy allows none).
login_view = auth_views.LoginView.as_view(template_name="admin/login.html",
                                          extra_context={"site_header": admin.site.site_header})
# The API's login and logout, where API clients and the docs' "log in" expect them (DRF's names).
api_auth = ([path("login/", login_view, name="login"), path("logout/", auth_views.LogoutView.as_view(), name="logout")],
            "rest_framework")

urlpatterns = [
    path("", include("annotations.pages.urls")),
    path("accounts/login/", login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages run no inline code (the Content-Security-Policy allows none): Swagger
    # UI loads its init script from the split view's ?script URL.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
         name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
         name="api-redoc"),
    path("api/auth/token/", tokens.TokenView.as_view(), name="api-token"),
    path("api/auth/token/rotate/", tokens.TokenRotateView.as_view(), name="api-token-rotate"),
    path("api/auth/", include(api_auth)),
    path("health/", health, name="health"),
]
