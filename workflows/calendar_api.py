"""The working-time API: the calendar of a year (non-working days with their names, office
hours), a task's clock (due date, state, pauses) and an application's predicted completion.
Thin callers of :mod:`workflows.calendar` and :mod:`workflows.clocks`."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import calendar, clocks
from .models import Task, Weekday

TAG = "working-time"


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$", "example": "07:30:00"},
)
class WallClockTimeField(serializers.TimeField):
    """A time of day on the office's clock (WITA), without an offset: OpenAPI's ``time``
    format is RFC 3339 ``full-time``, which requires one, so the schema gives the pattern."""


class IntervalSerializer(serializers.Serializer):
    opens = WallClockTimeField()
    closes = WallClockTimeField()


class OfficeDaySerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday … 6 = Sunday.")
    name = serializers.CharField()
    intervals = IntervalSerializer(many=True, help_text="Open intervals (the break between).")


class ClosureSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class CalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    time_zone = serializers.CharField()
    office_hours = OfficeDaySerializer(many=True)
    non_working_days = ClosureSerializer(many=True, help_text="Holidays and closures by name.")


class PauseSerializer(serializers.Serializer):
    started = serializers.DateTimeField()
    ended = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    until = serializers.DateField(allow_null=True)
    by = serializers.CharField(allow_null=True, help_text="Who stopped the clock.")
    note = serializers.CharField(allow_blank=True)


class ClockSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    step = serializers.IntegerField()
    cycle = serializers.IntegerField()
    status = serializers.ChoiceField(choices=list(clocks.STATE_LABELS))
    due_at = serializers.DateTimeField(allow_null=True)
    percent_used = serializers.IntegerField(allow_null=True)
    remaining_minutes = serializers.IntegerField(
        allow_null=True, help_text="Office time left (negative when overdue)."
    )
    pauses = PauseSerializer(many=True)


class ApplicationClockSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    predicted_completion = serializers.DateTimeField(allow_null=True)
    tasks = ClockSerializer(many=True)


def clock_data(task: Task) -> dict:
    state = clocks.state(task)
    remaining = state.remaining
    return {
        "task": task.pk,
        "step": task.step.no,
        "cycle": task.cycle,
        "status": state.status,
        "due_at": state.due_at,
        "percent_used": state.percent_used,
        "remaining_minutes": None if remaining is None else int(remaining.total_seconds() // 60),
        "pauses": [p.__dict__ for p in state.pauses],
    }


class CalendarApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=[TAG],
        summary="The working calendar of a year",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses=CalendarSerializer,
    )
    def get(self, request: Request, year: int) -> Response:
        if not 2000 <= year <= 2100:
            raise Http404
        cal = calendar.current()
        data = {
            "year": year,
            "time_zone": str(calendar.ZONE),
            "office_hours": [
                {
                    "weekday": day,
                    "name": str(Weekday(day).label),
                    "intervals": [{"opens": a, "closes": b} for a, b in cal.hours.get(day, ())],
                }
                for day in range(7)
            ],
            "non_working_days": [
                {"date": c.day, "name": c.name} for c in cal.non_working_days(year)
            ],
        }
        return Response(CalendarSerializer(data).data)


class TaskClockApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="A task's clock: due date, state and pauses",
        responses=ClockSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        task = Task.objects.visible_to(request.user).select_related("step").filter(pk=pk).first()
        if task is None:
            raise Http404
        return Response(ClockSerializer(clock_data(task)).data)


class ApplicationClockApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary="An application's step clocks and predicted completion",
        responses=ApplicationClockSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        tasks = list(
            Task.objects.visible_to(request.user)
            .filter(application_id=pk)
            .select_related("step", "application__sop_version")
        )
        if not tasks:
            raise Http404
        data = {
            "application": pk,
            "predicted_completion": clocks.predicted_completion(tasks[0].application),
            "tasks": [clock_data(t) for t in tasks],
        }
        return Response(ApplicationClockSerializer(data).data)
