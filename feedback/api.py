"""The feedback API (``/api/v1/``): survey answers and results, complaints (public filing and
tracking, staff list, detail, reply, assignment, status) and complaint figures. Thin callers of
``surveys``, ``complaints`` and ``stats``; complaints come only from the ``handled_by``
queryset, so another agency's complaint is a 404."""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from agencies.models import Agency
from agencies.serializers import ErrorOutputSerializer
from permits import access as tracking
from permits.lifecycle_api import TrackingThrottle
from permits.models import Application, Service

from . import access, complaints, stats, surveys
from .models import Complaint
from .serializers import (
    STATUS_HELP,
    AssignInputSerializer,
    ComplaintCreatedOutputSerializer,
    ComplaintCreateInputSerializer,
    ComplaintFiguresOutputSerializer,
    ComplaintStaffDetailSerializer,
    ComplaintStaffOutputSerializer,
    ComplaintTrackInputSerializer,
    ComplaintTrackOutputSerializer,
    PeriodInputSerializer,
    ReplyInputSerializer,
    SkmResultsOutputSerializer,
    StatusInputSerializer,
    SurveySubmitInputSerializer,
    SurveySubmitOutputSerializer,
    skm_result_data,
)

TAG_SURVEY = "survey"
TAG_COMPLAINTS = "complaints"
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
ERRORS = {400: ErrorOutputSerializer, 404: ErrorOutputSerializer}


class CanMonitor(BasePermission):
    message = _("Only heads, the complaints unit and administrators see these figures.")

    def has_permission(self, request, view) -> bool:
        return access.may_see_survey_results(request.user)


class IsStaff(BasePermission):
    """Staff of any agency (complaints assigned to their agency) or the complaints unit."""

    def has_permission(self, request, view) -> bool:
        return access.is_complaint_staff(request.user)


def _error(error: ValidationError, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=code)


# --- survey ------------------------------------------------------------------------------


@extend_schema(
    tags=[TAG_SURVEY],
    summary="Answer the satisfaction survey (SKM)",
    description="One answer per finished application: give the invitation link's `token`, or "
    "the `application` id when signed in as its applicant. Nine answers U1…U9 from 1 to 4 "
    "(Permenpan RB 14/2017); the profile is optional. 409 when already answered.",
    request=SurveySubmitInputSerializer,
    responses={201: SurveySubmitOutputSerializer, **ERRORS, 409: ErrorOutputSerializer},
)
class SurveySubmitApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        data = SurveySubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = None
        if values.get("token"):
            application = surveys.application_from_token(values["token"])
        elif values.get("application") and request.user.is_authenticated:
            application = Application.objects.filter(
                pk=values["application"], applicant=request.user
            ).first()
        if application is None:
            raise Http404
        try:
            response = surveys.answer_online(application, values, user=request.user)
        except surveys.SurveyError as error:
            code = status.HTTP_409_CONFLICT if error.code == "answered" else 400
            return _error(error, code)
        return Response(SurveySubmitOutputSerializer(response).data, status=201)


@extend_schema(
    tags=[TAG_SURVEY],
    summary="Satisfaction survey results",
    description="NRR per element, IKM (weight 0.111, official), converted score ×25, grade "
    "A–D with its label, and the same with the exact weight 1/9; respondents against the "
    "Krejcie & Morgan sample for the applications finished in the period. Overall (optionally "
    "for one service or agency) and per service.",
    parameters=[PeriodInputSerializer],
    responses={200: SkmResultsOutputSerializer, 400: ErrorOutputSerializer},
)
class SkmResultsApi(APIView):
    permission_classes = [IsAuthenticated, CanMonitor]

    def get(self, request: Request) -> Response:
        query = PeriodInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        service_id = query.validated_data.get("service")
        agency_id = query.validated_data.get("agency")
        overall = stats.ikm(start, end, service_id=service_id, agency_id=agency_id)
        by_service = stats.ikm_by_service(start, end)
        if service_id is not None:
            by_service = {k: v for k, v in by_service.items() if k == service_id}
        if agency_id is not None:
            allowed = set(
                stats.responses_in(start, end, agency_id=agency_id).values_list(
                    "service_id", flat=True
                )
            )
            by_service = {k: v for k, v in by_service.items() if k in allowed}
        body = {
            "start": start,
            "end": end,
            "overall": skm_result_data(overall),
            "services": [
                {"service_id": sid, **skm_result_data(result)}
                for sid, result in sorted(by_service.items())
            ],
        }
        return Response(SkmResultsOutputSerializer(body).data)


# --- complaints: public ------------------------------------------------------------------


class FilingThrottle(AnonRateThrottle):
    """Filing itself is rate-limited per address, as before the shared tracking throttle."""

    rate = "30/minute"

    def get_rate(self) -> str:
        return self.rate


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="File a complaint",
    description="Anyone, signed in or not (then anonymous is allowed). An application is "
    "linked only if the caller is its applicant or gives its access code; otherwise 400 with "
    "the same message whatever the reason. Returns the complaint number and the access code "
    "(shown once).",
    request=ComplaintCreateInputSerializer,
    responses={201: ComplaintCreatedOutputSerializer, 400: ErrorOutputSerializer},
)
class ComplaintCreateApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TrackingThrottle, FilingThrottle]

    def post(self, request: Request) -> Response:
        data = ComplaintCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = None
        if values.get("tracking_number"):
            try:
                application = tracking.track(
                    values["tracking_number"],
                    values.get("application_code", ""),
                    tracking.client_address(request),
                    find=lambda number, code: complaints.linkable_application(
                        number, request.user, code
                    ),
                )
            except tracking.TrackingRefused:
                return Response(
                    {"detail": _("We cannot link this application.")},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        service = None
        if values.get("service"):
            service = Service.objects.filter(pk=values["service"], is_active=True).first()
        try:
            filed = complaints.file_complaint(
                category=values["category"],
                text=values["text"],
                user=request.user,
                name=values.get("name", ""),
                email=values.get("email", ""),
                phone=values.get("phone", ""),
                service=service,
                application=application,
                attachment=values.get("attachment"),
                address=tracking.client_address(request),
            )
        except complaints.FilingLimitReached as error:
            return _error(error, status.HTTP_429_TOO_MANY_REQUESTS)
        except ValidationError as error:
            return _error(error)
        body = {
            "number": filed.complaint.number,
            "access_code": filed.access_code,
            "due_at": filed.complaint.due_at,
        }
        return Response(ComplaintCreatedOutputSerializer(body).data, status=201)


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Follow a complaint",
    description="Number and access code → status and the public replies (each signed by a "
    "unit and role, never a person). 404 for a wrong number and a wrong code alike.",
    request=ComplaintTrackInputSerializer,
    responses={200: ComplaintTrackOutputSerializer, 404: ErrorOutputSerializer},
)
class ComplaintTrackApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TrackingThrottle]

    def post(self, request: Request) -> Response:
        data = ComplaintTrackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            complaint = tracking.track(
                data.validated_data["number"],
                data.validated_data["access_code"],
                tracking.client_address(request),
                find=complaints.find_tracked,
            )
        except tracking.TrackingRefused as refused:
            if refused.throttled:
                return Response({"detail": str(refused)}, status=429)
            return Response(
                {"detail": _("No complaint matches this number and access code.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(ComplaintTrackOutputSerializer(complaint).data)


# --- complaints: staff -------------------------------------------------------------------


def _staff_complaint(request: Request, pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.handled_by(request.user)
        .select_related("service", "application", "assigned_agency")
        .prefetch_related("replies__author"),
        pk=pk,
    )


class ComplaintPagination(PageNumberPagination):
    page_size = 50


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Complaints to handle",
    description="The complaints unit: all; an agency's staff: those assigned to their agency. "
    "Sorted by response due date; filter by `status`.",
    parameters=[OpenApiParameter("status", str, required=False, description=STATUS_HELP)],
    responses={200: ComplaintStaffOutputSerializer(many=True)},
)
class ComplaintListApi(APIView):
    permission_classes = [IsAuthenticated, IsStaff]
    pagination_class = ComplaintPagination  # read by the schema: the answer is paginated

    def get(self, request: Request) -> Response:
        rows = (
            Complaint.objects.handled_by(request.user)
            .select_related("service", "application", "assigned_agency")
            .order_by("due_at", "id")
        )
        if request.query_params.get("status") in Complaint.Status.values:
            rows = rows.filter(status=request.query_params["status"])
        paginator = ComplaintPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            ComplaintStaffOutputSerializer(page, many=True).data
        )


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="One complaint, with every reply and internal note",
    parameters=[ID],
    responses={200: ComplaintStaffDetailSerializer, 404: ErrorOutputSerializer},
)
class ComplaintDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        return Response(ComplaintStaffDetailSerializer(_staff_complaint(request, id)).data)


def _transition(request: Request, id: int, action) -> Response:
    complaint = _staff_complaint(request, id)
    try:
        action(complaint)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _error(error)
    return Response(ComplaintStaffDetailSerializer(_staff_complaint(request, id)).data)


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Reply to a complaint",
    description="`public`: the complainant reads it (and is emailed); else an internal note. "
    "The first public reply marks the complaint answered.",
    parameters=[ID],
    request=ReplyInputSerializer,
    responses={200: ComplaintStaffDetailSerializer, **ERRORS},
)
class ComplaintReplyApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        _staff_complaint(request, id)  # another's complaint: 404 before any input check
        data = ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _transition(
            request,
            id,
            lambda c: complaints.reply(
                c,
                data.validated_data["text"],
                by=request.user,
                public=data.validated_data["public"],
            ),
        )


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Assign a complaint to the responsible unit or agency (complaints unit)",
    parameters=[ID],
    request=AssignInputSerializer,
    responses={200: ComplaintStaffDetailSerializer, **ERRORS},
)
class ComplaintAssignApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        _staff_complaint(request, id)  # another's complaint: 404 before any input check
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.active().filter(pk=data.validated_data["agency"]).first()
        if agency is None:
            return Response({"detail": _("Choose a unit or agency.")}, status=400)
        return _transition(request, id, lambda c: complaints.assign(c, agency, by=request.user))


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Change a complaint's status (start work, close, reopen)",
    parameters=[ID],
    request=StatusInputSerializer,
    responses={200: ComplaintStaffDetailSerializer, **ERRORS},
)
class ComplaintStatusApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        _staff_complaint(request, id)  # another's complaint: 404 before any input check
        data = StatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _transition(
            request,
            id,
            lambda c: complaints.set_status(
                c,
                data.validated_data["status"],
                by=request.user,
                reason=data.validated_data.get("reason", ""),
            ),
        )


@extend_schema(
    tags=[TAG_COMPLAINTS],
    summary="Complaint figures of a period",
    description="Received, resolved (answered or closed), open, overdue (open past the "
    "response norm) and resolved on time, and counts per status; optionally for one service "
    "or one assigned agency.",
    parameters=[PeriodInputSerializer],
    responses={200: ComplaintFiguresOutputSerializer, 400: ErrorOutputSerializer},
)
class ComplaintFiguresApi(APIView):
    permission_classes = [IsAuthenticated, CanMonitor]

    def get(self, request: Request) -> Response:
        query = PeriodInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        figures = stats.complaint_figures(
            values["start"], values["end"], values.get("service"), values.get("agency")
        )
        return Response(ComplaintFiguresOutputSerializer(asdict(figures)).data)
