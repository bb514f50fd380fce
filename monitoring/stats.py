"""Every performance figure of the SOP monitoring, defined once: the dashboard, its exports, the
API, the Tabel 7 pre-fill and the transparency page all call these functions.

Rules the figures follow (stated on the dashboard too):

* An application is *received* when submitted in the period, *completed* when it finished its
  SOP in the period (withdrawn files are not completions), *in progress* when it is still open
  now (submitted before the period ended).
* A step counts for on-time rates when it ended (``done``) in the period, has a time norm
  (``due_at``) and is an office step: the applicant's own steps (role ``applicant``) are their
  time, not the office's, and are left out (their waiting time shows under pauses).
  On time means ``completed_at <= due_at``; ``due_at`` already moved by every pause
  (``workflows.clocks.resumed``).
* Durations are the office time a step took with pauses left out (``Task.office_time``, measured
  by ``workflows.clocks.measure``), in office hours; a norm in working days is compared as that
  many working days of the calendar's Monday office hours.

All aggregation happens in SQL with a fixed number of queries whatever the data size;
percentiles use PostgreSQL's ``percentile_cont`` with a Python fallback elsewhere (SQLite in
development)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth

from permits.models import Application
from workflows import calendar
from workflows.durations import Duration, TimeUnit
from workflows.models import PerformerRole, ServiceClock, SopStep, StepEvent, Task

from . import facts
from .filters import Filters, start_of, today

HOUR = timedelta(hours=1)
FINISHED_EXCLUDED = (Application.Status.WITHDRAWN,)

#: Backlog age buckets, in working days: (lowest, highest or None for "and more").
BACKLOG_BUCKETS = ((0, 2), (3, 5), (6, 10), (11, 20), (21, None))


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


# --- summary -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    received: int
    completed: int
    in_progress: int
    steps_measured: int
    steps_on_time: int
    steps_late: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.steps_on_time, self.steps_measured)


def summary(f: Filters) -> Summary:
    if facts.enabled():
        return facts.summary(f)
    counts = applications(f).aggregate(
        received=Count("id", filter=_received(f)),
        completed=Count("id", filter=_completed(f)),
        in_progress=Count("id", filter=_in_progress(f)),
    )
    steps = ended_tasks(f).aggregate(**_step_counts())
    return Summary(
        received=counts["received"],
        completed=counts["completed"],
        in_progress=counts["in_progress"],
        steps_measured=steps["measured"],
        steps_on_time=steps["on_time"],
        steps_late=steps["late"],
    )


# --- on time per service, agency, step -----------------------------------------------------------


@dataclass
class OnTimeRow:
    key: int | None
    label: str
    measured: int
    on_time: int
    late: int
    extra: dict = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.measured)


def by_service(f: Filters) -> list[OnTimeRow]:
    """On-time rate of office steps per service, with the share of applications decided within
    the service time (``ServiceClock``: decided in the period, ``decided_at <= due_at``)."""
    if facts.enabled():
        return facts.by_service(f)
    rows = (
        ended_tasks(f)
        .values("application__service_id", "application__service__name")
        .annotate(**_step_counts())
        .order_by("application__service__name")
    )
    clocks = ServiceClock.objects.filter(
        application__in=applications(f),
        decided_at__gte=f.start_at,
        decided_at__lt=f.end_at,
        due_at__isnull=False,
    )
    decided = {
        r["application__service_id"]: r
        for r in clocks.values("application__service_id")
        .annotate(
            decided=Count("id"),
            within=Count("id", filter=Q(decided_at__lte=F("due_at"))),
        )
        .order_by()
    }
    names = {r["application__service_id"]: r["application__service__name"] for r in rows}
    if decided:
        missing = set(decided) - set(names)
        if missing:
            from permits.models import Service

            names.update(Service.objects.filter(pk__in=missing).values_list("pk", "name"))
    counts = {r["application__service_id"]: r for r in rows}
    return service_rows(names, counts, decided)


def service_rows(names: dict, counts: dict, decided: dict) -> list[OnTimeRow]:
    """One row per service, by name: its step counts (``counts``, per service id) and its
    decided files within the service time (``decided``); shared by the raw and facts paths."""
    out = []
    for key in sorted(names, key=lambda k: names[k]):
        row = counts.get(key, {"measured": 0, "on_time": 0, "late": 0})
        d = decided.get(key, {"decided": 0, "within": 0})
        out.append(
            OnTimeRow(
                key,
                names[key],
                row["measured"],
                row["on_time"],
                row["late"],
                {
                    "decided": d["decided"],
                    "within": d["within"],
                    "within_rate": rate(d["within"], d["decided"]),
                },
            )
        )
    return out


def by_agency(f: Filters) -> list[OnTimeRow]:
    if facts.enabled():
        return facts.by_agency(f)
    rows = (
        ended_tasks(f)
        .values("agency_id", "agency__name")
        .annotate(**_step_counts())
        .order_by("agency__name")
    )
    return [
        OnTimeRow(r["agency_id"], r["agency__name"] or "—", r["measured"], r["on_time"], r["late"])
        for r in rows
    ]


@dataclass
class StepRow(OnTimeRow):
    service: str = ""
    service_id: int | None = None
    version: int = 0
    no: int = 0
    norm: Duration | None = None
    median: timedelta | None = None
    p90: timedelta | None = None
    timed: int = 0

    @property
    def norm_time(self) -> timedelta | None:
        return norm_office_time(self.norm)

    @property
    def over_norm(self) -> bool:
        """The step's P90 office time is above its norm."""
        return bool(self.p90 is not None and self.norm_time and self.p90 > self.norm_time)


STEP_FIELDS = (
    "pk",
    "no",
    "activity",
    "duration_value",
    "duration_unit",
    "version__version",
    "version__sop__service__id",
    "version__sop__service__name",
)


def by_step(f: Filters) -> list[StepRow]:
    """Per SOP step (of each version): on-time counts, median and P90 office time. Grouped
    by step id alone (one scan of the tasks), the steps' names read in a second query."""
    aggregates = {**_step_counts(), "timed": Count("id", filter=Q(office_time__isnull=False))}
    if _sql_percentiles():
        aggregates["median"] = Percentile("office_time", 0.5)
        aggregates["p90"] = Percentile("office_time", 0.9)
    if facts.enabled():
        rows = facts.step_rows(f)
    else:
        rows = list(ended_tasks(f).values("step_id").annotate(**aggregates).order_by())
    if not facts.enabled() and not _sql_percentiles():
        values = defaultdict(list)
        for step_id, taken in (
            ended_tasks(f).filter(office_time__isnull=False).values_list("step_id", "office_time")
        ):
            values[step_id].append(taken)
        for r in rows:
            r["median"] = percentile(values[r["step_id"]], 0.5)
            r["p90"] = percentile(values[r["step_id"]], 0.9)
    steps = {
        s["pk"]: s
        for s in SopStep.objects.filter(pk__in=[r["step_id"] for r in rows]).values(*STEP_FIELDS)
    }
    out = []
    for r in rows:
        s = steps[r["step_id"]]
        norm = None
        if s["duration_value"] and s["duration_unit"]:
            norm = Duration(s["duration_value"], s["duration_unit"])
        out.append(
            StepRow(
                key=r["step_id"],
                label=s["activity"],
                measured=r["measured"],
                on_time=r["on_time"],
                late=r["late"],
                service=s["version__sop__service__name"] or "",
                service_id=s["version__sop__service__id"],
                version=s["version__version"],
                no=s["no"],
                norm=norm,
                median=r["median"],
                p90=r["p90"],
                timed=r["timed"],
            )
        )
    out.sort(key=lambda s: (s.service, s.version, s.no))
    return out


def bottlenecks(f: Filters, limit: int = 10, steps: list[StepRow] | None = None) -> list[StepRow]:
    """The steps that most often ran late: most late steps first, then the highest late share."""
    steps = by_step(f) if steps is None else steps
    late = [s for s in steps if s.late]
    late.sort(key=lambda s: (-s.late, -(s.late / s.measured), s.service, s.no))
    return late[:limit]


# --- backlog by age ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacklogRow:
    low: int
    high: int | None
    first_day: date | None  # oldest day in the bucket (None: no lower bound)
    last_day: date  # youngest day in the bucket
    since_submitted: int
    since_complete: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}" if self.high is not None else f"≥ {self.low}"


def bucket_days(now: date | None = None) -> list[tuple[int, int | None, date | None, date]]:
    """The calendar days each backlog bucket covers: a file started on day ``d`` is ``n``
    working days old when ``n`` working days of the calendar lie after ``d`` up to today."""
    now = now or today()
    cal = calendar.current()
    age_of: dict[date, int] = {}
    day, age = now, 0
    last_high = BACKLOG_BUCKETS[-2][1]
    while age <= last_high:
        age_of[day] = age
        if cal.is_working_day(day):
            age += 1
        day -= timedelta(days=1)
    out = []
    for low, high in BACKLOG_BUCKETS:
        days = [d for d, a in age_of.items() if a >= low and (high is None or a <= high)]
        if high is None:
            out.append((low, None, None, day))
        else:
            out.append((low, high, min(days), max(days)))
    return out


def _day_range(field_name: str, first: date | None, last: date) -> Q:
    q = Q(**{f"{field_name}__lt": start_of(last + timedelta(days=1))})
    if first is not None:
        q &= Q(**{f"{field_name}__gte": start_of(first)})
    return q


CLOCK_START = "service_clock__started_at"


def backlog(f: Filters, now: date | None = None) -> list[BacklogRow]:
    """Open applications (now) by working days since submission and since the file was
    declared complete (its service clock started); the period does not apply."""
    buckets = bucket_days(now)
    aggregates = {}
    for i, (_low, _high, first, last) in enumerate(buckets):
        aggregates[f"s{i}"] = Count("id", filter=_day_range("submitted_at", first, last))
        aggregates[f"c{i}"] = Count("id", filter=_day_range(CLOCK_START, first, last))
    if facts.enabled():
        counts = facts.backlog_counts(f, buckets)
    else:
        counts = open_applications(f).aggregate(**aggregates)
    return [
        BacklogRow(low, high, first, last, counts[f"s{i}"], counts[f"c{i}"])
        for i, (low, high, first, last) in enumerate(buckets)
    ]


def open_applications(f: Filters) -> QuerySet:
    return applications(f).filter(status__in=Application.ACTIVE_STATES)


# --- pauses --------------------------------------------------------------------------------------

APPLICANT_TIME = "applicant"


@dataclass(frozen=True)
class PauseRow:
    reason: str
    steps: int
    paused: timedelta

    @property
    def mean(self) -> timedelta | None:
        return self.paused / self.steps if self.steps else None


def pauses(f: Filters) -> list[PauseRow]:
    """Office time spent paused by steps that ended in the period, by the reason of their first
    pause; the applicant's own steps (waiting for a correction) form a row of their own."""
    if facts.enabled():
        return facts.pauses(f)
    first_reason = Subquery(
        StepEvent.objects.filter(task=OuterRef("pk"), kind=StepEvent.Kind.PAUSED)
        .order_by("at", "id")
        .values("reason")[:1]
    )
    office = (
        ended_tasks(f)
        .filter(paused_time__gt=timedelta(0))
        .annotate(reason=first_reason)
        .values("reason")
        .annotate(steps=Count("id"), paused=Sum("paused_time"))
        .order_by("reason")
    )
    rows = [PauseRow(r["reason"] or "", r["steps"], r["paused"]) for r in office]
    applicant = (
        ended_tasks(f, office=False)
        .filter(paused_time__gt=timedelta(0))
        .aggregate(steps=Count("id"), paused=Sum("paused_time"))
    )
    if applicant["steps"]:
        rows.append(PauseRow(APPLICANT_TIME, applicant["steps"], applicant["paused"]))
    return rows


# --- monthly trend -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    received: int
    completed: int
    measured: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.measured)


def months(f: Filters) -> list[date]:
    out, day = [], f.start.replace(day=1)
    while day <= f.end:
        out.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def trend(f: Filters) -> list[MonthRow]:
    if facts.enabled():
        return facts.trend(f)
    zone = calendar.ZONE
    apps = applications(f)
    received = dict(
        apps.filter(_received(f))
        .annotate(m=TruncMonth("submitted_at", tzinfo=zone))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("m", "n")
    )
    completed = dict(
        apps.filter(_completed(f))
        .annotate(m=TruncMonth("completed_at", tzinfo=zone))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("m", "n")
    )
    steps = {
        r["m"]: r
        for r in ended_tasks(f)
        .annotate(m=TruncMonth("completed_at", tzinfo=zone))
        .values("m")
        .annotate(**_step_counts())
        .order_by()
    }

    def month_key(value) -> date:
        return value.date() if hasattr(value, "date") else value

    received = {month_key(k): v for k, v in received.items()}
    completed = {month_key(k): v for k, v in completed.items()}
    steps = {month_key(k): v for k, v in steps.items()}
    empty = {"measured": 0, "on_time": 0}
    return [
        MonthRow(
            m,
            received.get(m, 0),
            completed.get(m, 0),
            steps.get(m, empty)["measured"],
            steps.get(m, empty)["on_time"],
        )
        for m in months(f)
    ]


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


# --- service level, for the transparency page and Tabel 7 ----------------------------------------


@dataclass(frozen=True)
class ServiceFigures:
    service_id: int
    finished: int
    median_days: float | None  # working days from declared complete to finished
    decided: int
    within: int

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.within, self.decided)


def working_days_after(start: date, end: date, cal=None) -> int:
    """Working days after ``start`` up to and including ``end`` (the counting of a norm in
    working days: finished the day it was declared complete = 0)."""
    cal = cal or calendar.current()
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += cal.is_working_day(day)
    return n


def weighted_median(pairs: list[tuple[float, int]]) -> float | None:
    """Median of values given with their counts (the middle two averaged for an even total)."""
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    values = []
    ordered = sorted(pairs)
    for k in ((total - 1) // 2, total // 2):
        seen = 0
        for value, n in ordered:
            seen += n
            if seen > k:
                values.append(value)
                break
    return sum(values) / 2


def service_figures(start: date, end: date) -> dict[int, ServiceFigures]:
    """Per service, for applications finished between ``start`` and ``end`` (WITA days): the
    median working days from *declared complete* (service clock start) to finished, and the
    applications decided within the service time. Two queries; the day counting runs over
    distinct (start day, end day) pairs."""
    if facts.enabled():
        return facts.service_figures(start, end)
    zone = calendar.ZONE
    from django.db.models.functions import TruncDate

    finished = (
        Application.objects.filter(
            completed_at__gte=start_of(start),
            completed_at__lt=start_of(end + timedelta(days=1)),
            service_clock__isnull=False,
        )
        .exclude(status__in=FINISHED_EXCLUDED)
        .annotate(
            d0=TruncDate("service_clock__started_at", tzinfo=zone),
            d1=TruncDate("completed_at", tzinfo=zone),
        )
        .values("service_id", "d0", "d1")
        .annotate(n=Count("id"))
        .order_by()
    )
    cal = calendar.current()
    pairs: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for r in finished:
        pairs[r["service_id"]].append((working_days_after(r["d0"], r["d1"], cal), r["n"]))
    decided = {
        r["application__service_id"]: r
        for r in ServiceClock.objects.filter(
            decided_at__gte=start_of(start),
            decided_at__lt=start_of(end + timedelta(days=1)),
            due_at__isnull=False,
        )
        .values("application__service_id")
        .annotate(decided=Count("id"), within=Count("id", filter=Q(decided_at__lte=F("due_at"))))
        .order_by()
    }
    out = {}
    for service_id in set(pairs) | set(decided):
        d = decided.get(service_id, {"decided": 0, "within": 0})
        out[service_id] = ServiceFigures(
            service_id,
            sum(n for _v, n in pairs.get(service_id, [])),
            weighted_median(pairs.get(service_id, [])),
            d["decided"],
            d["within"],
        )
    return out
