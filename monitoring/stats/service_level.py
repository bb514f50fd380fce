"""Service-level figures for the transparency page and Tabel 7: median working days from
declared complete to finished, and the files decided within the service time."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q

from permits.models import Application
from workflows import calendar
from workflows.models import ServiceClock

from .. import facts
from ..filters import start_of
from .base import FINISHED_EXCLUDED, rate

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
