"""Top-level URLs: public pages, admin, API (``/api/v1/``), schema and docs, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.language import set_language

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the switch also keeps the language on the signed-in account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("sop_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("health/", views.health, name="health"),
    path("kelola/", include("workflows.urls")),
    path("", include("monitoring.urls")),
    path("", include("feedback.urls")),
    path("", include("permits.urls")),
]

# An unrouted address under /api/ is a JSON 404 (sop_portal.bad_input), not the HTML page.
handler404 = "sop_portal.bad_input.page_not_found"
