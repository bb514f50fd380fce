"""The services and SOP API: the public catalogue, published SOPs and their history, and the
SOP interchange documents (export for everyone, import for administrators)."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api_permissions import IsAdministrator
from agencies.serializers import ErrorOutputSerializer
from workflows.models import SopVersion
from workflows.validation import Problem

from .api_examples import DOCUMENT_EXAMPLE, INVALID_EXAMPLE
from .api_selectors import (
    published_sop_version,
    service_sop_version,
    service_sop_versions,
    services_visible_to,
)
from .interchange import InvalidDocument, export_document, import_document, load_document
from .models import Service
from .selectors import catalogue_services, public_service
from .serializers import (
    InvalidDocumentOutputSerializer,
    ServiceDetailOutputSerializer,
    ServiceFilterSerializer,
    ServiceListOutputSerializer,
    SopDocumentImportOutputSerializer,
    SopDocumentImportQuerySerializer,
    SopDocumentQuerySerializer,
    SopDocumentUploadSerializer,
    SopPurposeQuerySerializer,
    SopVersionListOutputSerializer,
    SopVersionOutputSerializer,
)

TAG_SERVICES = "services"
TAG_SOPS = "sops"

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Service code.")


def _visible_service(code: str, user) -> Service:
    service = services_visible_to(user).filter(code=code).first()
    if service is None:
        raise Http404
    return service


@extend_schema(
    tags=[TAG_SERVICES],
    summary="List public services",
    description="The public catalogue: active services with a published SOP. Paginated; anyone "
    "may read.",
    parameters=[ServiceFilterSerializer],
    responses={200: ServiceListOutputSerializer(many=True), 400: ErrorOutputSerializer},
)
class ServiceListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceListOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = ServiceFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return catalogue_services(
            q=data.get("search", ""),
            sector=data.get("sector", ""),
            kind=data.get("kind", ""),
            agency=data.get("agency", ""),
        )


@extend_schema(
    tags=[TAG_SERVICES],
    summary="Show a public service",
    description="A public service with its service standard (the 14 components of Permenpan RB "
    "15/2014), requirements, technical agencies and a link to its published SOP.",
    parameters=[CODE],
    responses={200: ServiceDetailOutputSerializer, 404: ErrorOutputSerializer},
)
class ServiceDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceDetailOutputSerializer

    def get_object(self) -> Service:
        try:
            return public_service(self.kwargs["code"])
        except Service.DoesNotExist:
            raise Http404 from None


@extend_schema(
    tags=[TAG_SOPS],
    summary="Show the SOP of a service in force (main, renewal or amendment)",
    description="The identity section, the performers (flowchart columns) and the steps of the "
    "SOP version in force today (by its effective date), with the total time norm per unit. "
    "`purpose` picks the service's renewal or amendment SOP instead of its main one.",
    parameters=[CODE, SopPurposeQuerySerializer],
    responses={200: SopVersionOutputSerializer, 404: ErrorOutputSerializer},
)
class ServiceSopApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = SopVersionOutputSerializer

    def get_object(self) -> SopVersion:
        query = SopPurposeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.purpose = query.validated_data["purpose"]
        version = published_sop_version(self.kwargs["code"], self.purpose)
        if version is None:
            raise Http404
        return version

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "purpose": getattr(self, "purpose", None)}


@extend_schema(
    tags=[TAG_SOPS],
    summary="List the SOP versions of a service",
    description="Newest first. Everyone sees the published and superseded versions of public "
    "services; administrators also see drafts and versions in review, of any service.",
    parameters=[CODE],
    responses={200: SopVersionListOutputSerializer(many=True), 404: ErrorOutputSerializer},
)
class ServiceSopVersionListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = SopVersionListOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        service = _visible_service(self.kwargs["code"], self.request.user)
        return service_sop_versions(service, self.request.user)


# --- interchange documents ---------------------------------------------------------------------


@extend_schema(
    tags=[TAG_SOPS],
    summary="Export an SOP version as an interchange document",
    description="The `sop-portal/1` JSON document (service + SOP) of one version, ready to edit "
    "and import again. Everyone may export the published and superseded versions of public "
    "services; administrators any version. Without `version`, the newest version you may read.",
    parameters=[CODE, SopDocumentQuerySerializer],
    responses={
        200: OpenApiTypes.OBJECT,
        400: ErrorOutputSerializer,
        404: ErrorOutputSerializer,
    },
    examples=[OpenApiExample("Document", value=DOCUMENT_EXAMPLE, response_only=True)],
)
class ServiceSopDocumentApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, code: str) -> Response:
        query = SopDocumentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        service = _visible_service(code, request.user)
        version = service_sop_version(service, request.user, query.validated_data.get("version"))
        if version is None:
            raise Http404
        return Response(export_document(version))


class JsonDocumentParser(BaseParser):
    """Hands the raw JSON body to :func:`permits.interchange.load_document`, so a syntax error is
    reported like every other problem of the document."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        if stream is None:
            return b""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # One byte more than allowed, to tell an oversized document from one exactly at the limit.
        return stream.read() if limit is None else stream.read(limit + 1)


def _problems_response(problems: list[Problem]) -> Response:
    detail = ngettext(
        "The document was refused: %(counter)s problem. Nothing was imported.",
        "The document was refused: %(counter)s problems. Nothing was imported.",
        len(problems),
    ) % {"counter": len(problems)}
    body = InvalidDocumentOutputSerializer({"detail": detail, "problems": problems}).data
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _raw_document(request: Request) -> bytes:
    """The document's bytes, from the body or the uploaded ``file``; raises InvalidDocument."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type.startswith("multipart/"):
        upload = SopDocumentUploadSerializer(data=request.data)
        if not upload.is_valid():
            raise InvalidDocument(
                [
                    Problem("file", str(message))
                    for message in upload.errors.get("file", [_("No file was submitted.")])
                ]
            )
        file = upload.validated_data["file"]
        raw = b"" if limit is not None and file.size > limit else file.read()
        size = file.size
    else:
        raw = request.data if isinstance(request.data, bytes) else b""
        size = len(raw)
    if limit is not None and size > limit:
        raise InvalidDocument(
            [Problem("", _("The document is larger than %(limit)d bytes.") % {"limit": limit})]
        )
    return raw


@extend_schema(
    tags=[TAG_SOPS],
    summary="Import an interchange document",
    description="Administrators only. Creates or updates the service and adds a new SOP version "
    "(a draft, or published at once with `publish=true`). Send the `sop-portal/1` document as "
    "the JSON body, or upload it as the multipart field `file`. A document with any problem is "
    "refused as a whole: the answer lists every problem, by JSON path and step number, in the "
    "request's language (Accept-Language), and nothing is written.",
    parameters=[SopDocumentImportQuerySerializer],
    request={
        "application/json": OpenApiTypes.OBJECT,
        "multipart/form-data": SopDocumentUploadSerializer,
    },
    responses={
        201: SopDocumentImportOutputSerializer,
        400: InvalidDocumentOutputSerializer,
        403: ErrorOutputSerializer,
    },
    examples=[
        OpenApiExample("Document", value=DOCUMENT_EXAMPLE, request_only=True),
        OpenApiExample(
            "Imported",
            value={
                "service": "DISHUB-AKDP",
                "version": 2,
                "status": "draft",
                "url": "https://example.org/api/v1/services/DISHUB-AKDP/sop-document/?version=2",
            },
            response_only=True,
            status_codes=["201"],
        ),
        OpenApiExample("Refused", value=INVALID_EXAMPLE, response_only=True, status_codes=["400"]),
    ],
)
class SopDocumentImportApi(APIView):
    permission_classes = [IsAdministrator]
    parser_classes = [JsonDocumentParser, MultiPartParser]

    def post(self, request: Request) -> Response:
        query = SopDocumentImportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            doc = load_document(_raw_document(request))
            version = import_document(
                doc, actor=request.user, publish=query.validated_data["publish"]
            )
        except InvalidDocument as exc:
            return _problems_response(exc.problems)
        version.refresh_from_db()  # publishing works on its own copy of the row
        body = SopDocumentImportOutputSerializer(version, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})
