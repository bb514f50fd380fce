"""The API of an issued document's life: its detail (standing, validity, signature status),
its signed file, the head's suspension / reinstatement / revocation, and the holder's renewal
or amendment request. Thin callers of ``permits.standing`` and ``permits.follow_ups``; the
document comes only through ``permits.access.may_download_issued`` (else a 404)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, follow_ups, issued_documents, standing
from ..issued_serializers import (
    FollowUpInputSerializer,
    FollowUpOutputSerializer,
    IssuedLifeOutputSerializer,
    StandingInputSerializer,
)
from ..models import IssuedDocument
from .common import BODY_PARSERS, DOMAIN_ERRORS, ERRORS, ID, TAG_APPLICATIONS, domain_error

TAG_ISSUED = "issued documents"


def _issued(request: Request, id: int) -> IssuedDocument:
    issued = get_object_or_404(
        IssuedDocument.objects.select_related("application", "replaced_by"), pk=id
    )
    if not access.may_download_issued(request.user, issued):
        raise Http404
    return issued


@extend_schema(
    tags=[TAG_ISSUED],
    summary="An issued document's standing, validity and signature",
    description="`standing` is where it stands today (`valid`, `expiring`, `expired`, "
    "`suspended`, `revoked`, `replaced`); `signature` is pyHanko's offline validation of the "
    "stored signed file (PAdES) against the portal's trust roots; `sha256` is the digest of "
    "that file (also recorded in the audit entry of the signing).",
    parameters=[ID],
    responses={200: IssuedLifeOutputSerializer, **ERRORS},
)
class IssuedDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        return Response(
            IssuedLifeOutputSerializer(_issued(request, id), context={"request": request}).data
        )


@extend_schema(
    tags=[TAG_ISSUED],
    summary="The signed PDF",
    description="The stored bytes, exactly as signed (their SHA-256 is `sha256`).",
    parameters=[ID],
    responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse()},
)
class IssuedFileApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int):
        issued = _issued(request, id)
        return issued_documents.serve_signed(issued)


@extend_schema(
    tags=[TAG_ISSUED],
    summary="Suspend, reinstate or revoke a permit (the head)",
    description="`change`: `suspend` (*pembekuan*), `reinstate`, `revoke` (*pencabutan*, "
    "final); with `reason`, `legal_basis` and `effective_on`. Audited and notified to the "
    "holder; the verification page shows it at once. Anyone but the office's head: 403.",
    parameters=[ID],
    request=StandingInputSerializer,
    responses={200: IssuedLifeOutputSerializer, **ERRORS},
)
class IssuedStandingApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = BODY_PARSERS

    def post(self, request: Request, id: int) -> Response:
        issued = _issued(request, id)
        data = StandingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            standing.CHANGES[values["change"]](
                issued,
                request.user,
                values["reason"],
                values["legal_basis"],
                values["effective_on"],
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        issued.refresh_from_db()
        return Response(IssuedLifeOutputSerializer(issued, context={"request": request}).data)


PURPOSE = OpenApiParameter("purpose", str, OpenApiParameter.PATH, enum=["renewal", "amendment"])


@extend_schema(
    tags=[TAG_APPLICATIONS, TAG_ISSUED],
    summary="Start a renewal or an amendment of a permit (the holder)",
    description="A draft application of the same service, linked to the permit and pre-filled "
    "with its documents, under the service's SOP for that purpose; asking again returns the "
    "same draft. Submit it like any draft. A revoked or replaced permit: 409.",
    parameters=[ID, PURPOSE],
    request=FollowUpInputSerializer,
    responses={201: FollowUpOutputSerializer, **ERRORS},
)
class IssuedFollowUpApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = BODY_PARSERS

    def post(self, request: Request, id: int, purpose: str) -> Response:
        issued = _issued(request, id)
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = follow_ups.start(
                issued, request.user, purpose, data.validated_data["note"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(FollowUpOutputSerializer(application).data, status=status.HTTP_201_CREATED)
