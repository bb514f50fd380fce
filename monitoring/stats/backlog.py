"""The backlog: open applications by working days since submission and since declared
complete."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count

from workflows import calendar

from .. import facts
from ..filters import Filters, today
from .base import CLOCK_START, _day_range, open_applications

#: Backlog age buckets, in working days: (lowest, highest or None for "and more").
BACKLOG_BUCKETS = ((0, 2), (3, 5), (6, 10), (11, 20), (21, None))

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
