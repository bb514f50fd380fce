"""Staff pages for SOPs, mounted at /kelola/: the SOP editor, versions and review, documents."""

from django.urls import include, path

app_name = "workflows"
urlpatterns = [
    path("", include("workflows.document_urls")),
]
