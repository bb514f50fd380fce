"""The shared ground of every figure: the rows each is counted over (submitted applications,
steps ended in a period, open files), the on-time rules, rates, hours and percentiles."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Exists, F, OuterRef, Q, QuerySet

from permits.models import Application
from workflows import calendar
from workflows.durations import Duration, TimeUnit
from workflows.models import PerformerRole, Task

from ..filters import Filters, start_of

HOUR = timedelta(hours=1)
FINISHED_EXCLUDED = (Application.Status.WITHDRAWN,)


class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont(f) WITHIN GROUP (ORDER BY expr)`` (works on intervals)."""

    function = "percentile_cont"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


def percentile(values: list[timedelta], fraction: float) -> timedelta | None:
    """Continuous percentile as PostgreSQL computes it (linear interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is nothing to measure."""
    return round(100 * part / whole, 1) if whole else None


def hours(value: timedelta | None) -> float | None:
    return round(value / HOUR, 2) if value is not None else None


def working_day_length() -> timedelta:
    """Office time of one working day: the calendar's Monday hours (7.5 h by default)."""
    cal = calendar.current()
    spans = cal.hours.get(0) or cal.extra_day_hours
    monday = date(2000, 1, 3)
    return sum(
        (datetime.combine(monday, b) - datetime.combine(monday, a) for a, b in spans),
        timedelta(0),
    )


def norm_office_time(duration: Duration | None) -> timedelta | None:
    """A step's time norm as office time, to set beside measured durations."""
    if duration is None:
        return None
    if duration.unit in (TimeUnit.MINUTES, TimeUnit.HOURS):
        return calendar.office_minutes(duration)
    days = duration.value * (5 if duration.unit == TimeUnit.WEEKS else 1)
    return days * working_day_length()


# --- the rows each figure is counted over ------------------------------------------------------


def applications(f: Filters) -> QuerySet:
    """Submitted applications matching the service, agency and version of ``f`` (any time)."""
    qs = Application.objects.exclude(status=Application.Status.DRAFT).filter(
        submitted_at__isnull=False
    )
    if f.service_id:
        qs = qs.filter(service_id=f.service_id)
    if f.sop_version_id:
        qs = qs.filter(sop_version_id=f.sop_version_id)
    if f.agency_id:
        qs = qs.filter(
            Exists(Task.objects.filter(application=OuterRef("pk"), agency_id=f.agency_id))
        )
    return qs


def _received(f: Filters) -> Q:
    return Q(submitted_at__gte=f.start_at, submitted_at__lt=f.end_at)


def _completed(f: Filters) -> Q:
    return Q(completed_at__gte=f.start_at, completed_at__lt=f.end_at) & ~Q(
        status__in=FINISHED_EXCLUDED
    )


def _in_progress(f: Filters) -> Q:
    return Q(status__in=Application.ACTIVE_STATES, submitted_at__lt=f.end_at)


def ended_tasks(f: Filters, *, office: bool = True) -> QuerySet:
    """Steps that ended (done) in the period, for the service, agency and version of ``f``;
    office steps only unless ``office`` is False (then the applicant's steps only)."""
    qs = Task.objects.filter(
        status=Task.Status.DONE, completed_at__gte=f.start_at, completed_at__lt=f.end_at
    )
    if office:
        qs = qs.exclude(role=PerformerRole.APPLICANT)
    else:
        qs = qs.filter(role=PerformerRole.APPLICANT)
    if f.service_id:
        qs = qs.filter(application__service_id=f.service_id)
    if f.sop_version_id:
        qs = qs.filter(application__sop_version_id=f.sop_version_id)
    if f.agency_id and office:
        qs = qs.filter(agency_id=f.agency_id)
    elif f.agency_id:
        qs = qs.filter(
            Exists(
                Task.objects.filter(application=OuterRef("application_id"), agency_id=f.agency_id)
            )
        )
    return qs


MEASURED = Q(due_at__isnull=False)
ON_TIME = Q(due_at__isnull=False, completed_at__lte=F("due_at"))
LATE = Q(due_at__isnull=False, completed_at__gt=F("due_at"))


def _step_counts() -> dict:
    return {
        "measured": Count("id", filter=MEASURED),
        "on_time": Count("id", filter=ON_TIME),
        "late": Count("id", filter=LATE),
    }


def _day_range(field_name: str, first: date | None, last: date) -> Q:
    q = Q(**{f"{field_name}__lt": start_of(last + timedelta(days=1))})
    if first is not None:
        q &= Q(**{f"{field_name}__gte": start_of(first)})
    return q


CLOCK_START = "service_clock__started_at"


def open_applications(f: Filters) -> QuerySet:
    return applications(f).filter(status__in=Application.ACTIVE_STATES)
