"""What the lifecycle API endpoints share: tags, error answers, and the querysets that
fetch an application or a task through ``visible_to`` (anyone else's is a 404)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.serializers import ErrorOutputSerializer
from workflows.engine import EngineError, InvalidOutcome, NotAllowed
from workflows.models import StepEvent, Task

from .. import progress
from ..lifecycle import IncompleteData, MissingDocuments
from ..lifecycle_serializers import (
    ApplicationDetailOutputSerializer,
    DomainErrorSerializer,
)
from ..models import Application

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
    if isinstance(error, IncompleteData):
        return Response({**body, "fields": error.errors}, status=status.HTTP_400_BAD_REQUEST)
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


def _detail(request: Request, pk: int) -> Application:
    """A visible application with its step clocks, service time and predicted completion."""
    application = _application(request, pk)
    application.progress = progress.progress(application)
    return application


def _detail_response(request: Request, pk: int) -> Response:
    return Response(
        ApplicationDetailOutputSerializer(_detail(request, pk), context={"request": request}).data
    )


def _task(request: Request, pk: int) -> Task:
    return get_object_or_404(_tasks(Task.objects.visible_to(request.user)), pk=pk)


def _tasks(queryset):
    return queryset.select_related(
        "application__service", "application__applicant", "step", "agency", "assignee"
    )
