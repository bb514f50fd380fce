"""The staff endpoints on tasks: list, show, claim, release, reassign, complete, return
to the applicant, schedule the field inspection."""

import json

from django.db.models import Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.serializers import ErrorOutputSerializer
from workflows import engine
from workflows.models import Task

from .. import actions
from ..lifecycle_serializers import (
    CompleteInputSerializer,
    ReassignInputSerializer,
    ScheduleInputSerializer,
    TaskDetailOutputSerializer,
    TaskFilterSerializer,
    TaskOutputSerializer,
    TaskReturnInputSerializer,
)
from ..staff_services import TaskPagination
from .common import (
    BODY_PARSERS,
    DOMAIN_ERRORS,
    ERRORS,
    ID,
    TAG_TASKS,
    _task,
    _tasks,
    domain_error,
)


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
    pagination_class = TaskPagination
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
    "`pay` — `payment_code` (confirms the payment against the bill's code); "
    "`decide` — `verdict` approve/reject, `reasons`; "
    "`issue_permit`, `issue_rejection` — `passphrase` (the head's signing passphrase: the "
    "document is signed, PAdES, before it is issued; a wrong passphrase or a refusal of the "
    "signing service is a 409 and nothing is issued), `notes`; `handover` — `collected_by`, "
    "`identity_type`, `identity_number`, `relation`, `notes`; generic steps — `notes`, and "
    "`outcome` yes/no for a decision. Someone who completed it first makes this "
    "a 409.",
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
