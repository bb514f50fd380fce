"""API routes of printed documents: decrees, rendering jobs, SOP version PDFs."""

from django.urls import path

from sop_portal.routers import NumericIdRouter

from . import document_api

router = NumericIdRouter()
router.register("decrees", document_api.DecreeViewSet, basename="decree")
router.register("document-jobs", document_api.RenderedDocumentViewSet, basename="document-job")

urlpatterns = [
    path("sop-versions/<int:pk>/pdf/", document_api.sop_version_pdf, name="sop-version-pdf"),
    *router.urls,
]
