"""API of printed documents: decree drafts (administrators), rendering jobs to poll, and the PDF
of an SOP version (public for the published and superseded ones)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response

from agencies.access import is_administrator
from permits.storage import open_stored

from . import access, decrees, documents
from .document_serializers import DecreeSerializer, RenderedDocumentSerializer
from .models import Decree, RenderedDocument, SopVersion


class IsAdministrator(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user)


class DecreeViewSet(viewsets.ModelViewSet):
    """Decrees on SOPs (administrators only). New decrees start from the Indonesian template
    texts for any field left out."""

    serializer_class = DecreeSerializer
    permission_classes = [IsAdministrator]
    queryset = Decree.objects.all()

    def destroy(self, request, *args, **kwargs):
        """Delete a draft decree (409 for a final one), audited like every decree change."""
        try:
            decrees.delete_decree(self.get_object(), by=request.user)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: RenderedDocumentSerializer})
    @action(detail=True, methods=["post"])
    def render(self, request, pk=None):
        """Render the decree PDF in the background; the same inputs return the same job."""
        with transaction.atomic():
            job = decrees.request_rendering(decree=self.get_object(), by=request.user)
        return Response(RenderedDocumentSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RenderedDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Rendering jobs: poll ``status`` and ``done``/``total``; fetch ``download_url`` when done."""

    serializer_class = RenderedDocumentSerializer
    permission_classes = [IsAdministrator]
    queryset = RenderedDocument.objects.all()

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, pk=None):
        job = get_object_or_404(RenderedDocument, pk=pk, status=RenderedDocument.Status.DONE)
        handle, size = open_stored(job.file)  # a 404 when there is none
        name = job.file.name.rsplit("/", 1)[-1]
        response = FileResponse(handle, content_type="application/pdf", filename=name)
        if size is not None:
            response["Content-Length"] = str(size)
        return response


@extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def sop_version_pdf(request, pk: int) -> HttpResponse:
    """The SOP document of a version as PDF: public for the published and superseded versions,
    administrators only for the others (404 to anyone else); :mod:`workflows.access`."""
    version = get_object_or_404(SopVersion.objects.select_related("sop"), pk=pk)
    if not access.may_see_version(request.user or AnonymousUser(), version):
        raise Http404
    response = HttpResponse(documents.sop_pdf(version), content_type="application/pdf")
    name = f"SOP-{version.sop.code}-v{version.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
