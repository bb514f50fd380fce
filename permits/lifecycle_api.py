"""The lifecycle API (``/api/v1/``): applicants' applications, staff tasks, public tracking and
verification. Each endpoint is a thin call of ``permits.lifecycle``, ``workflows.engine`` or
``permits.actions``; objects come only from the ``visible_to`` / ``actionable_by`` querysets, so
another person's object is a 404."""

import json

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from agencies.serializers import ErrorOutputSerializer
from workflows import engine
from workflows.engine import EngineError, InvalidOutcome, NotAllowed
from workflows.models import StepEvent, Task

from . import actions, lifecycle, numbering
from .lifecycle import MissingDocuments
from .lifecycle_serializers import (
    ApplicationDetailOutputSerializer,
    ApplicationListOutputSerializer,
    CompleteInputSerializer,
    CorrectionInputSerializer,
    DocumentOutputSerializer,
    DocumentUploadSerializer,
    DomainErrorSerializer,
    DraftInputSerializer,
    IssuedDocumentOutputSerializer,
    ProofInputSerializer,
    ReassignInputSerializer,
    ScheduleInputSerializer,
    SubmittedOutputSerializer,
    TaskDetailOutputSerializer,
    TaskFilterSerializer,
    TaskOutputSerializer,
    TaskReturnInputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    TrackingInputSerializer,
    TrackingOutputSerializer,
    VerificationOutputSerializer,
    WithdrawInputSerializer,
)
from .models import Application, IssuedDocument

TAG_APPLICATIONS = "applications"
TAG_TASKS = "tasks"
TAG_PUBLIC = "tracking"
TAG_AUTH = "auth"

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
ERRORS = {
    400: DomainErrorSerializer,
    403: ErrorOutputSerializer,
    404: ErrorOutputSerializer,
    409: DomainErrorSerializer,
}
UPLOAD_PARSERS = [MultiPartParser, FormParser]
BODY_PARSERS = [JSONParser, MultiPartParser, FormParser]


def domain_error(error: Exception) -> Response:
    """The response to a refused transition: 403 not allowed, 400 bad input, 409 state."""
    if isinstance(error, ValidationError):
        return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
    body = {"detail": error.message}
    if isinstance(error, MissingDocuments):
        return Response({**body, "codes": error.codes}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, NotAllowed):
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, InvalidOutcome):
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response(body, status=status.HTTP_409_CONFLICT)


DOMAIN_ERRORS = (EngineError, ValidationError)


def _open_tasks() -> Prefetch:
    return Prefetch(
        "tasks",
        queryset=Task.objects.open().select_related("step", "agency").order_by("opened_at", "id"),
        to_attr="open_tasks",
    )


def _timeline() -> Prefetch:
    return Prefetch(
        "step_events", queryset=StepEvent.objects.select_related("task__step", "task__agency")
    )


def _application(request: Request, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user)
        .select_related("service")
        .prefetch_related(
            _open_tasks(),
            _timeline(),
            "issued_documents",
            "documents",
        ),
        pk=pk,
    )


def _task(request: Request, pk: int) -> Task:
    return get_object_or_404(_tasks(Task.objects.visible_to(request.user)), pk=pk)


def _tasks(queryset):
    return queryset.select_related(
        "application__service", "application__applicant", "step", "agency", "assignee"
    )


# --- auth ----------------------------------------------------------------------------------------


@extend_schema(
    tags=[TAG_AUTH],
    summary="Obtain an API token",
    description="Exchange an email and password for a token; send it as "
    "`Authorization: Token <token>`. The same token is returned until it is deleted.",
    request=TokenInputSerializer,
    responses={200: TokenOutputSerializer, 400: DomainErrorSerializer},
)
class ObtainTokenApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=data.validated_data["user"])
        return Response({"token": token.key})


# --- applicant ---------------------------------------------------------------------------------


class ApplicationListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationListOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (
            Application.objects.filter(applicant=self.request.user)
            .select_related("service")
            .prefetch_related(_open_tasks())
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="List my applications",
        description="Your own applications, newest first, with the step(s) holding each one.",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="Start an application",
        description="A new draft for a public service, pinned to its published SOP version.",
        request=DraftInputSerializer,
        responses={201: ApplicationDetailOutputSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = lifecycle.create_draft(data.validated_data["service"], request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        body = ApplicationDetailOutputSerializer(
            _application(request, application.pk), context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Show an application",
    description="Status, the step(s) holding it, its timeline (every step started, paused, "
    "resumed, ended), its documents (every version) and issued documents. Visible to its "
    "applicant and to the staff concerned; anyone else gets a 404.",
    parameters=[ID],
    responses={200: ApplicationDetailOutputSerializer, 404: ErrorOutputSerializer},
)
class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        application = _application(request, id)
        return Response(
            ApplicationDetailOutputSerializer(application, context={"request": request}).data
        )


def _own(request: Request, pk: int) -> Application:
    """An application of the signed-in applicant (staff reach theirs through tasks)."""
    application = _application(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Upload a document",
    description="Upload (or replace) the draft's document for one requirement. The type is "
    "checked by content against the requirement's formats; a refused file stores nothing.",
    parameters=[ID],
    request={"multipart/form-data": DocumentUploadSerializer},
    responses={201: DocumentOutputSerializer, **ERRORS},
)
class DocumentUploadApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = lifecycle.attach_document(
                application,
                request.user,
                data.validated_data["requirement"],
                data.validated_data["file"],
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Submit an application",
    description="Submit a draft whose mandatory documents are uploaded. Returns the tracking "
    "number and the access code: the code is shown only this once.",
    parameters=[ID],
    request=None,
    responses={200: SubmittedOutputSerializer, **ERRORS},
)
class SubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        try:
            code = lifecycle.submit(application, request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response({"tracking_number": application.tracking_number, "access_code": code})


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Answer a correction request",
    description="Replace exactly the documents asked for — one multipart file per document, "
    "named after its requirement code — with a note; the file goes back to the office.",
    parameters=[ID],
    request={"multipart/form-data": CorrectionInputSerializer},
    responses={200: ApplicationDetailOutputSerializer, **ERRORS},
)
class CorrectApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = {code: request.FILES[code] for code in request.FILES}
        try:
            lifecycle.correct(application, request.user, files, data.validated_data["note"])
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(
            ApplicationDetailOutputSerializer(
                _application(request, id), context={"request": request}
            ).data
        )


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Withdraw an application",
    description="Withdraw a submitted application, saying why; its open tasks end.",
    parameters=[ID],
    request=WithdrawInputSerializer,
    responses={200: ApplicationDetailOutputSerializer, **ERRORS},
)
class WithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            lifecycle.withdraw(application, request.user, data.validated_data["reason"])
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(
            ApplicationDetailOutputSerializer(
                _application(request, id), context={"request": request}
            ).data
        )


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Upload the proof of payment",
    description="The proof (PDF, JPG or PNG) of payment of the open bill.",
    parameters=[ID],
    request={"multipart/form-data": ProofInputSerializer},
    responses={
        200: inline_serializer(
            "PaymentOutput",
            {
                "billing_number": serializers.CharField(),
                "amount": serializers.DecimalField(max_digits=14, decimal_places=0),
                "currency": serializers.CharField(),
                "proof_uploaded_at": serializers.DateTimeField(),
            },
        ),
        **ERRORS,
    },
)
class PaymentProofApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = ProofInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment = lifecycle.upload_payment_proof(
                application, request.user, data.validated_data["file"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(
            {
                "billing_number": payment.billing_number,
                "amount": payment.amount,
                "currency": payment.currency,
                "proof_uploaded_at": payment.proof_uploaded_at,
            }
        )


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="List the issued documents of an application",
    description="The permit or rejection letter issued: number, holder, date, and the public "
    "verification link of its QR code.",
    parameters=[ID],
    responses={200: IssuedDocumentOutputSerializer(many=True), 404: ErrorOutputSerializer},
)
class IssuedDocumentListApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        application = _application(request, id)
        return Response(
            IssuedDocumentOutputSerializer(
                application.issued_documents.all(), many=True, context={"request": request}
            ).data
        )


# --- staff ----------------------------------------------------------------------------------


@extend_schema(
    tags=[TAG_TASKS],
    summary="List tasks",
    description="`scope=actionable` (default): the open tasks you may act on (your roles in "
    "your agencies, unclaimed or claimed by you). `scope=visible`: every task you may see. "
    "Filters by status, agency, action, your claims and tracking number; sorted by opening or "
    "due date.",
    parameters=[TaskFilterSerializer],
    responses={200: TaskOutputSerializer(many=True), 400: ErrorOutputSerializer},
)
class TaskListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TaskOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = TaskFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        user = self.request.user
        queryset = (
            Task.objects.actionable_by(user)
            if data["scope"] == "actionable"
            else Task.objects.visible_to(user)
        )
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("agency"):
            queryset = queryset.filter(agency__code=data["agency"])
        if data.get("action"):
            queryset = queryset.filter(step__action=data["action"])
        if data.get("mine"):
            queryset = queryset.filter(assignee=user)
        if data.get("search"):
            queryset = queryset.filter(
                Q(application__tracking_number__icontains=data["search"].strip())
            )
        order = {
            "due": ["due_at", "id"],
            "-due": ["-due_at", "-id"],
            "opened": ["opened_at", "id"],
            "-opened": ["-opened_at", "-id"],
        }[data["ordering"]]
        return _tasks(queryset).order_by(*order)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Show a task",
    description="A task you may see, with the application's current documents.",
    parameters=[ID],
    responses={200: TaskDetailOutputSerializer, 404: ErrorOutputSerializer},
)
class TaskDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        return Response(TaskDetailOutputSerializer(_task(request, id)).data)


def _task_response(request: Request, id: int) -> Response:
    return Response(TaskDetailOutputSerializer(_task(request, id)).data)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Claim a task",
    description="Take an open task of your role and agency so colleagues see who is on it.",
    parameters=[ID],
    request=None,
    responses={200: TaskDetailOutputSerializer, **ERRORS},
)
class ClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        try:
            engine.claim(_task(request, id), request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _task_response(request, id)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Release a task",
    description="Give a claimed task back to the agency's queue (its holder or the head).",
    parameters=[ID],
    request=None,
    responses={200: TaskDetailOutputSerializer, **ERRORS},
)
class ReleaseApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        try:
            engine.release(_task(request, id), request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _task_response(request, id)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Reassign a task",
    description="Hand an open task to a colleague holding the step's role in the same agency.",
    parameters=[ID],
    request=ReassignInputSerializer,
    responses={200: TaskDetailOutputSerializer, **ERRORS},
)
class ReassignApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        task = _task(request, id)
        data = ReassignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            engine.reassign(
                task, request.user, data.validated_data["to"], data.validated_data["reason"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _task_response(request, id)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Complete a task",
    description="Complete an open task with the data of its step's action: `check` — `results` "
    "(requirement code -> accepted, reason); `recommend` — `verdict`, `conditions`, `notes`, "
    "`attachments`; `inspect` — `report` (BAP), `findings`, `passed` (schedule the visit first); "
    "`pay` — nothing (confirms the payment); `decide` — `verdict` approve/reject, `reasons`; "
    "`issue_permit`, `issue_rejection`, `handover` and generic steps — `notes`, and `outcome` "
    "yes/no for a decision. Someone who completed it first makes this a 409.",
    parameters=[ID],
    request={
        "application/json": CompleteInputSerializer,
        "multipart/form-data": CompleteInputSerializer,
    },
    responses={
        200: inline_serializer(
            "CompletedOutput",
            {
                "task": TaskDetailOutputSerializer(),
                "opened": TaskOutputSerializer(many=True),
            },
        ),
        **ERRORS,
    },
)
class CompleteApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = BODY_PARSERS

    def post(self, request: Request, id: int) -> Response:
        task = _task(request, id)
        data = CompleteInputSerializer(data=_complete_input(request))
        data.is_valid(raise_exception=True)
        try:
            opened = engine.complete(
                task,
                request.user,
                data.validated_data.get("outcome"),
                data.validated_data["notes"],
                data.action_data(),
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        opened_tasks = _tasks(Task.objects.filter(pk__in=[t.pk for t in opened]))
        return Response(
            {
                "task": TaskDetailOutputSerializer(_task(request, id)).data,
                "opened": TaskOutputSerializer(opened_tasks, many=True).data,
            }
        )


def _complete_input(request: Request) -> dict:
    """JSON as it is; multipart with ``results`` as a JSON string and repeated ``attachments``."""
    if not hasattr(request.data, "getlist"):
        return request.data
    data = {key: request.data.get(key) for key in request.data if key != "attachments"}
    if isinstance(data.get("results"), str):
        try:
            data["results"] = json.loads(data["results"])
        except ValueError:
            data["results"] = "invalid"
    if request.FILES.getlist("attachments"):
        data["attachments"] = request.FILES.getlist("attachments")
    return data


@extend_schema(
    tags=[TAG_TASKS],
    summary="Return the file to the applicant",
    description="From a decision whose *Tidak* exit leads back to the applicant: the reason, "
    "and the documents to replace (requirement code -> what to correct).",
    parameters=[ID],
    request=TaskReturnInputSerializer,
    responses={200: TaskDetailOutputSerializer, **ERRORS},
)
class ReturnApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        task = _task(request, id)
        data = TaskReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            engine.return_to_applicant(
                task, request.user, data.validated_data["reason"], data.validated_data["documents"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _task_response(request, id)


@extend_schema(
    tags=[TAG_TASKS],
    summary="Schedule the field inspection",
    description="Set the visit date of an `inspect` step: the task waits until the visit.",
    parameters=[ID],
    request=ScheduleInputSerializer,
    responses={200: TaskDetailOutputSerializer, **ERRORS},
)
class ScheduleInspectionApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        task = _task(request, id)
        data = ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            actions.schedule_inspection(
                task, request.user, data.validated_data["visit_on"], data.validated_data["note"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _task_response(request, id)


# --- public ---------------------------------------------------------------------------------


class TrackingThrottle(AnonRateThrottle):
    scope = "tracking"
    rate = "30/minute"

    def get_rate(self) -> str:
        return self.rate


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="Track an application",
    description="With the tracking number and the access code on the receipt: the status, "
    "which agency holds the file since when, and the step timeline. No personal data. A wrong "
    "number or code gets the same 404.",
    request=TrackingInputSerializer,
    responses={200: TrackingOutputSerializer, 404: ErrorOutputSerializer},
)
class TrackingApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TrackingThrottle]

    def post(self, request: Request) -> Response:
        data = TrackingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = data.validated_data["tracking_number"].strip().upper()
        application = (
            Application.objects.filter(tracking_number=number)
            .select_related("service")
            .prefetch_related(_open_tasks(), _timeline())
            .first()
        )
        if application is None or not numbering.access_code_matches(
            application, data.validated_data["access_code"]
        ):
            return Response(
                {"detail": _("No application matches this tracking number and access code.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(TrackingOutputSerializer(application).data)


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="Verify an issued document",
    description="The target of the QR code on a permit or rejection letter: whether it is "
    "authentic (issued here and not revoked), its number, holder, service and date.",
    parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
    responses={200: VerificationOutputSerializer, 404: ErrorOutputSerializer},
)
class VerifyApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, token: str) -> Response:
        document = get_object_or_404(IssuedDocument, verification_token=token)
        return Response(VerificationOutputSerializer(document).data)
