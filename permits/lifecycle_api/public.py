"""The public endpoints: tracking by number and access code (no personal data) and the
verification of issued documents."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from agencies.serializers import ErrorOutputSerializer

from .. import access, progress
from ..issued_serializers import PublicVerificationSerializer
from ..lifecycle_serializers import (
    TrackingInputSerializer,
    TrackingOutputSerializer,
)
from ..models import Application, IssuedDocument
from .common import (
    TAG_PUBLIC,
    _open_tasks,
    _timeline,
)


class TrackingThrottle(BaseThrottle):
    """The tracking throttle of :mod:`permits.access` as a DRF throttle: refuses (429) while
    the client address has used up its failed lookups, counted by the page and the API alike.
    The lookup itself (:func:`permits.access.track`) counts the failures."""

    def allow_request(self, request, view) -> bool:
        return access.tracking_attempts_left(access.client_address(request)) > 0

    def wait(self) -> float:
        return float(access.tracking_window())


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="Track an application",
    description="With the tracking number and the access code on the receipt: the status, "
    "which agency holds the file since when, the step timeline, each step's due date, clock "
    "state and pauses (agency and reason only), the service time and the predicted "
    "completion. No personal data. A wrong number or code gets the same 404; after "
    "`TRACKING_MAX_ATTEMPTS` failures from one address (page and API together) within "
    "`TRACKING_THROTTLE_SECONDS`, 429.",
    request=TrackingInputSerializer,
    responses={
        200: TrackingOutputSerializer,
        404: ErrorOutputSerializer,
        429: ErrorOutputSerializer,
    },
)
class TrackingApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TrackingThrottle]

    def post(self, request: Request) -> Response:
        data = TrackingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            found = access.track(
                data.validated_data["tracking_number"],
                data.validated_data["access_code"],
                access.client_address(request),
            )
        except access.TrackingRefused as refused:
            code = status.HTTP_429_TOO_MANY_REQUESTS if refused.throttled else 404
            return Response({"detail": str(refused)}, status=code)
        application = (
            Application.objects.filter(pk=found.pk)
            .select_related("service", "service_clock")
            .prefetch_related(_open_tasks(), _timeline())
            .get()
        )
        application.progress = progress.progress(application, public=True)
        return Response(TrackingOutputSerializer(application).data)


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="Verify an issued document",
    description="The target of the QR code on a permit or rejection letter: whether it is "
    "authentic (issued here and in force: not revoked, suspended, replaced or expired), its "
    "number, holder, service and date, its `standing` today, validity, the number of the "
    "permit that replaced it, the SHA-256 of the signed file and its signature's status.",
    parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
    responses={200: PublicVerificationSerializer, 404: ErrorOutputSerializer},
)
class VerifyApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, token: str) -> Response:
        document = get_object_or_404(
            IssuedDocument.objects.select_related("replaced_by"), verification_token=token
        )
        return Response(PublicVerificationSerializer(document).data)
