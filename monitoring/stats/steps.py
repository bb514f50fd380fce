"""The summary and the on-time figures: per service, per agency and per SOP step (with the
median and P90 office time), and the bottleneck steps."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q

from workflows.durations import Duration
from workflows.models import ServiceClock, SopStep

from .. import facts
from ..filters import Filters
from .base import (
    Percentile,
    _completed,
    _in_progress,
    _received,
    _sql_percentiles,
    _step_counts,
    applications,
    ended_tasks,
    norm_office_time,
    percentile,
    rate,
)

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
