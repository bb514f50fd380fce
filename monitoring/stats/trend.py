"""The monthly trend: received, completed, measured and on-time steps per WITA month."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth

from workflows import calendar

from .. import facts
from ..filters import Filters
from .base import _completed, _received, _step_counts, applications, ended_tasks, rate

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
