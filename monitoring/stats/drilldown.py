"""The click-through: the applications behind one figure of the dashboard."""

from datetime import date, timedelta

from django.db.models import F, OuterRef, QuerySet, Subquery

from workflows.models import ServiceClock, StepEvent

from ..filters import Filters
from .backlog import bucket_days
from .base import (
    CLOCK_START,
    LATE,
    MEASURED,
    ON_TIME,
    _completed,
    _day_range,
    _in_progress,
    _received,
    applications,
    ended_tasks,
    open_applications,
)
from .pauses import APPLICANT_TIME

# --- click-through: the applications behind a figure ---------------------------------------------

FIGURES = (
    "received",
    "completed",
    "in_progress",
    "steps",
    "on_time_steps",
    "late_steps",
    "backlog_submitted",
    "backlog_complete",
    "paused",
    "decided",
    "decided_late",
)


def applications_behind(f: Filters, figure: str, params) -> QuerySet:
    """The applications a figure counts; ``params`` narrows to one row of a table (``step``,
    ``month``, ``bucket``, ``reason``)."""
    apps = applications(f)
    month = _month(params.get("month"))
    if figure == "received":
        qs = apps.filter(_received(_month_filters(f, month)))
    elif figure == "completed":
        qs = apps.filter(_completed(_month_filters(f, month)))
    elif figure == "in_progress":
        qs = apps.filter(_in_progress(f))
    elif figure in ("steps", "on_time_steps", "late_steps"):
        rule = {"steps": MEASURED, "on_time_steps": ON_TIME, "late_steps": LATE}[figure]
        tasks = ended_tasks(_month_filters(f, month)).filter(rule)
        step = _pk(params.get("step"))
        if step:
            tasks = tasks.filter(step_id=step)
        qs = apps.filter(pk__in=tasks.values("application_id"))
    elif figure in ("backlog_submitted", "backlog_complete"):
        index = _pk(params.get("bucket")) or 0
        buckets = bucket_days()
        _low, _high, first, last = buckets[min(index, len(buckets) - 1)]
        since = {"backlog_submitted": "submitted_at", "backlog_complete": CLOCK_START}[figure]
        qs = open_applications(f).filter(_day_range(since, first, last))
    elif figure == "paused":
        reason = params.get("reason") or ""
        if reason == APPLICANT_TIME:
            tasks = ended_tasks(f, office=False).filter(paused_time__gt=timedelta(0))
        else:
            first_reason = Subquery(
                StepEvent.objects.filter(task=OuterRef("pk"), kind=StepEvent.Kind.PAUSED)
                .order_by("at", "id")
                .values("reason")[:1]
            )
            tasks = (
                ended_tasks(f)
                .filter(paused_time__gt=timedelta(0))
                .annotate(reason=first_reason)
                .filter(reason=reason)
            )
        qs = apps.filter(pk__in=tasks.values("application_id"))
    elif figure in ("decided", "decided_late"):
        clocks = ServiceClock.objects.filter(
            decided_at__gte=f.start_at, decided_at__lt=f.end_at, due_at__isnull=False
        )
        if figure == "decided_late":
            clocks = clocks.filter(decided_at__gt=F("due_at"))
        qs = apps.filter(pk__in=clocks.values("application_id"))
    else:
        qs = apps.none()
    return qs


def _pk(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _month(value) -> date | None:
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def _month_filters(f: Filters, month: date | None) -> Filters:
    """``f`` narrowed to one month of its period."""
    if month is None:
        return f
    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f.narrowed(start=max(f.start, month), end=min(f.end, last))
