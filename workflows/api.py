"""The SOP versions API for administrators: every version incl. drafts, the review actions
(submit, return, approve and publish), a new draft, and the difference between two versions.
Thin callers of :mod:`workflows.versions` and :mod:`workflows.diff`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.api_permissions import IsAdministrator, IsSopReviewer

from . import versions
from .diff import diff_versions
from .models import Sop, SopVersion
from .serializers import (
    DiffOutputSerializer,
    DiffQuerySerializer,
    ProblemSerializer,
    PublishInputSerializer,
    ReturnInputSerializer,
    SopVersionDetailSerializer,
    SopVersionSummarySerializer,
)
from .validation import InvalidSop

TAG = "sop-versions"
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="SOP (service) code.")
VERSION = OpenApiParameter("version", int, OpenApiParameter.PATH, description="Version number.")


def _sop(code: str) -> Sop:
    sop = Sop.objects.filter(code=code).first()
    if sop is None:
        raise Http404
    return sop


def _version(code: str, number: int) -> SopVersion:
    version = SopVersion.objects.select_related("sop").filter(sop__code=code, version=number)
    if not version.exists():
        raise Http404
    return version.get()


def _detail(version: SopVersion, code: int = status.HTTP_200_OK) -> Response:
    version.refresh_from_db()
    problems = versions.content_problems(version) if version.is_draft else []
    data = SopVersionDetailSerializer(version, context={"problems": problems}).data
    return Response(data, status=code)


def _refused(error: ValidationError | PermissionDenied) -> Response:
    """A transition refused: 400 with its problems, when the content is invalid; 403 when the
    user may not (the four-eyes rule: the version's own author); else 409."""
    if isinstance(error, PermissionDenied):
        message = getattr(error, "message", "") or _("You may not do this.")
        return Response({"detail": str(message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, InvalidSop):
        return Response(
            {
                "detail": _("The SOP is not valid."),
                "problems": ProblemSerializer(error.problems, many=True).data,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)


class SopVersionListApi(APIView):
    permission_classes = [IsAdministrator]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        responses=SopVersionSummarySerializer(many=True),
        summary="Every version of an SOP, newest first, drafts included",
    )
    def get(self, request: Request, code: str) -> Response:
        sop = _sop(code)
        rows = sop.versions.select_related("sop").order_by("-version")
        return Response(SopVersionSummarySerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=None,
        responses={201: SopVersionDetailSerializer},
        summary="Start a new draft, a copy of the newest version",
        description="409 while another version is a draft or in review.",
    )
    def post(self, request: Request, code: str) -> Response:
        try:
            version = versions.new_draft(_sop(code), by=request.user)
        except ValidationError as error:
            return _refused(error)
        return _detail(version, status.HTTP_201_CREATED)


class SopVersionDetailApi(APIView):
    permission_classes = [IsAdministrator]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE, VERSION],
        responses=SopVersionDetailSerializer,
        summary="One version with its content and, for a draft, its problems",
    )
    def get(self, request: Request, code: str, version: int) -> Response:
        return _detail(_version(code, version))


class SopVersionSubmitApi(APIView):
    permission_classes = [IsAdministrator]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE, VERSION],
        request=None,
        responses=SopVersionDetailSerializer,
        summary="Submit a draft for review (editing is locked)",
        description="400 with the problems when the content is invalid; 409 when not a draft.",
    )
    def post(self, request: Request, code: str, version: int) -> Response:
        v = _version(code, version)
        try:
            versions.submit_for_review(v, by=request.user)
        except ValidationError as error:
            return _refused(error)
        return _detail(v)


class SopVersionReturnApi(APIView):
    permission_classes = [IsSopReviewer]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE, VERSION],
        request=ReturnInputSerializer,
        responses=SopVersionDetailSerializer,
        summary="Send a version in review back to draft, with a reason",
    )
    def post(self, request: Request, code: str, version: int) -> Response:
        v = _version(code, version)
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            versions.return_to_draft(v, by=request.user, reason=data.validated_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            return _refused(error)
        return _detail(v)


class SopVersionPublishApi(APIView):
    permission_classes = [IsSopReviewer]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE, VERSION],
        request=PublishInputSerializer,
        responses=SopVersionDetailSerializer,
        summary="Approve a version in review and publish it from an effective date",
        description=(
            "The published version so far is superseded; the new one is in force from its "
            "effective date. 403 when the caller drafted, edited or submitted the version "
            "(four eyes, setting SOP_FOUR_EYES); 409 when not in review."
        ),
    )
    def post(self, request: Request, code: str, version: int) -> Response:
        v = _version(code, version)
        data = PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            versions.approve_and_publish(
                v, by=request.user, effective_on=data.validated_data["effective_on"]
            )
        except (ValidationError, PermissionDenied) as error:
            return _refused(error)
        return _detail(v)


class SopVersionDiffApi(APIView):
    permission_classes = [IsAdministrator]

    @extend_schema(
        tags=[TAG],
        parameters=[CODE, DiffQuerySerializer],
        responses=DiffOutputSerializer,
        summary="The difference between two versions of an SOP",
    )
    def get(self, request: Request, code: str) -> Response:
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        a = _version(code, query.validated_data["a"])
        b = _version(code, query.validated_data["b"])
        return Response(DiffOutputSerializer(diff_versions(a, b)).data)
