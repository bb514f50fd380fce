"""API routes of printed documents: decrees, rendering jobs, SOP version PDFs."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import document_api

router = SimpleRouter()
router.register("decrees", document_api.DecreeViewSet, basename="decree")
router.register("document-jobs", document_api.RenderedDocumentViewSet, basename="document-job")

urlpatterns = [
    path("sop-versions/<int:pk>/pdf/", document_api.sop_version_pdf, name="sop-version-pdf"),
    *router.urls,
]
