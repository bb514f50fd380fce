"""The REST API, version 1."""

from django.urls import include, path

urlpatterns = [
    path("", include("agencies.api_urls")),
    path("", include("permits.api_urls")),
    path("", include("permits.lifecycle_api_urls")),
    path("", include("workflows.api_urls")),
    path("", include("workflows.document_api_urls")),
    path("", include("feedback.api_urls")),
    path("", include("monitoring.api_urls")),
]
