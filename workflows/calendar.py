"""The working calendar and the one place where deadlines are computed: office hours, holidays
and *cuti bersama*, the admin's exceptions, and the arithmetic of durations in office time
(``minutes``/``hours``) and working days (``days``/``weeks``).

Laws (tested with hypothesis in ``tests/workflows/calendar``):

* ``due(t, d)`` always lies in office time (an instant of a closed office interval).
* Office-time units compose: ``due(due(t, a), b) == due(t, a + b)`` for any ``t`` and any
  ``a``, ``b`` in minutes or hours (hours are 60 minutes of office time), and
  ``elapsed(t, due(t, d)) == d``.
* Working-day units compose too: ``due(due(t, a), b) == due(t, a + b)`` for ``a``, ``b`` in
  days or weeks (a week is 5 working days) and any ``t``, since ``due`` depends only on the
  working day of ``t`` and lands at the close of a working day. ``elapsed`` of a day norm is not
  ``d`` (the starting day's remaining hours count as elapsed office time).
* Mixing the two families does not compose (3 hours then 1 day is not "1 day and 3 hours").
"""

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .durations import Duration, TimeUnit

ZONE = ZoneInfo("Asia/Makassar")  # WITA: the office's clock, whatever the server's
WEEK_DAYS = 5
MAX_YEARS = 30  # a deadline further than this is a data error, not a plan

Interval = tuple[time, time]

DEFAULT_HOURS: dict[int, tuple[Interval, ...]] = {
    **{weekday: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))) for weekday in range(4)},
    4: ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30))),
    5: (),
    6: (),
}


@dataclass(frozen=True)
class Closure:
    day: date
    name: str


@dataclass
class WorkingCalendar:
    """Office hours per weekday, closed and extra open dates. Pure Python once built: every
    computation works on aware datetimes and answers aware datetimes in WITA."""

    hours: dict[int, tuple[Interval, ...]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    closed: dict[date, str] = field(default_factory=dict)
    opened: dict[date, str] = field(default_factory=dict)
    cuti_bersama_open_years: frozenset[int] = frozenset()
    extra_day_hours: tuple[Interval, ...] = DEFAULT_HOURS[0]
    _years: set[int] = field(default_factory=set, repr=False)
    _holidays: dict[date, tuple[str, bool]] = field(default_factory=dict, repr=False)

    # --- days --------------------------------------------------------------------------------

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        public = holidays.country_holidays("ID", years=year, categories=("public",), language="id")
        both = holidays.country_holidays(
            "ID", years=year, categories=("public", "government"), language="id"
        )
        for day, name in both.items():
            self._holidays[day] = (name, day not in public)

    def holiday(self, day: date) -> tuple[str, bool] | None:
        """(name, is cuti bersama) of a holiday from the library, or None."""
        self._load_year(day.year)
        return self._holidays.get(day)

    def closure(self, day: date) -> str | None:
        """Why the office is closed on ``day`` if it is a working weekday that is closed (the
        admin's closure, a holiday, or cuti bersama where it closes the office)."""
        if day in self.opened:
            return None
        if day in self.closed:
            return self.closed[day]
        found = self.holiday(day)
        if found is None:
            return None
        name, collective = found
        if collective and day.year in self.cuti_bersama_open_years:
            return None
        return name

    def intervals_of(self, day: date) -> tuple[Interval, ...]:
        """The office's open intervals on ``day`` (empty when closed)."""
        if day in self.opened:
            return self.hours.get(day.weekday()) or self.extra_day_hours
        if not self.hours.get(day.weekday()) or self.closure(day) is not None:
            return ()
        return self.hours[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        return bool(self.intervals_of(day))

    def non_working_days(self, year: int) -> list[Closure]:
        """The named closures of ``year``: holidays (those on a weekend too), cuti bersama
        where it closes the office, and the admin's closures; plain weekends are not listed."""
        self._load_year(year)
        days = set(self._holidays) | set(self.closed)
        out = []
        for day in sorted(d for d in days if d.year == year):
            name = self.closure(day)
            if name is not None:
                out.append(Closure(day, name))
        return out

    def _spans(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (datetime.combine(day, a, ZONE), datetime.combine(day, b, ZONE))
            for a, b in self.intervals_of(day)
        ]

    def _days_from(self, day: date):
        last = day + timedelta(days=366 * MAX_YEARS)
        while day <= last:
            yield day
            day += timedelta(days=1)
        raise ValueError("No working time found within the calendar's horizon.")

    def working_day_after(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted)."""
        found = 0
        for candidate in self._days_from(day + timedelta(days=1)):
            if self.is_working_day(candidate):
                found += 1
                if found >= n:
                    return candidate
        raise AssertionError("unreachable")

    # --- instants ----------------------------------------------------------------------------

    def due(self, start: datetime, duration: Duration) -> datetime:
        """When a norm of ``duration`` started at ``start`` falls due."""
        start = _local(start)
        if duration.unit in (TimeUnit.DAYS, TimeUnit.WEEKS):
            n = duration.value * (WEEK_DAYS if duration.unit == TimeUnit.WEEKS else 1)
            if n <= 0:
                return self.next_office_instant(start)
            day = self.working_day_after(start.date(), n)
            return self._spans(day)[-1][1]
        return self.add_office_time(start, office_minutes(duration))

    def add_office_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when ``amount`` of office time has passed since ``start`` (at a
        closing time rather than the next opening when it runs out exactly then)."""
        start = _local(start)
        left = amount
        if left <= timedelta(0):
            return self.next_office_instant(start)
        for day in self._days_from(start.date()):
            for a, b in self._spans(day):
                if b <= start:
                    continue
                a = max(a, start)
                if b - a >= left:
                    return a + left
                left -= b - a
        raise AssertionError("unreachable")

    def next_office_instant(self, moment: datetime) -> datetime:
        """``moment`` if the office is open then, else its next opening."""
        moment = _local(moment)
        for day in self._days_from(moment.date()):
            for a, b in self._spans(day):
                if b >= moment:
                    return max(a, moment)
        raise AssertionError("unreachable")

    def elapsed(
        self,
        start: datetime,
        end: datetime,
        pauses: list[tuple[datetime, datetime | None]] = (),
    ) -> timedelta:
        """Office time between two instants, leaving out the pauses (intervals; an open pause
        runs to ``end``)."""
        start, end = _local(start), _local(end)
        if end <= start:
            return timedelta(0)
        total = self._office_between(start, end)
        for a, b in _merge([(_local(a), _local(b or end)) for a, b in pauses]):
            a, b = max(a, start), min(b, end)
            if b > a:
                total -= self._office_between(a, b)
        return total

    def _office_between(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for a, b in self._spans(day):
                a, b = max(a, start), min(b, end)
                if b > a:
                    total += b - a
            day += timedelta(days=1)
        return total

    def shift(self, deadline: datetime, paused: timedelta) -> datetime:
        """``deadline`` pushed by ``paused`` office time (a clock that stood still)."""
        if paused <= timedelta(0):
            return deadline
        return self.add_office_time(deadline, paused)


def office_minutes(duration: Duration) -> timedelta:
    """A ``minutes``/``hours`` norm as office time."""
    if duration.unit == TimeUnit.HOURS:
        return timedelta(hours=duration.value)
    if duration.unit == TimeUnit.MINUTES:
        return timedelta(minutes=duration.value)
    raise ValueError(f"{duration.unit} is not office time")


def _local(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("Deadlines need aware datetimes.")
    return moment.astimezone(ZONE)


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


# --- the calendar in use ------------------------------------------------------------------------

_lock = threading.Lock()
_current: WorkingCalendar | None = None


def build() -> WorkingCalendar:
    """The calendar as configured in the database (office hours, years, exceptions)."""
    from .models import CalendarException, CalendarYear, OfficeHours

    hours = dict(DEFAULT_HOURS)
    for row in OfficeHours.objects.all():
        if not row.is_open:
            hours[row.weekday] = ()
        elif row.break_starts and row.break_ends:
            hours[row.weekday] = ((row.opens, row.break_starts), (row.break_ends, row.closes))
        else:
            hours[row.weekday] = ((row.opens, row.closes),)
    closed, opened = {}, {}
    for row in CalendarException.objects.all():
        (closed if row.kind == CalendarException.Kind.CLOSED else opened)[row.date] = row.name
    open_years = frozenset(
        CalendarYear.objects.filter(cuti_bersama_closes=False).values_list("year", flat=True)
    )
    weekday_hours = [h for h in hours.values() if h]
    return WorkingCalendar(
        hours=hours,
        closed=closed,
        opened=opened,
        cuti_bersama_open_years=open_years,
        extra_day_hours=hours.get(0) or (weekday_hours[0] if weekday_hours else DEFAULT_HOURS[0]),
    )


def current() -> WorkingCalendar:
    """The calendar of this process, built once and rebuilt after any change to its tables
    (in this process by the signals below; other processes rebuild when the sweep or the
    admin calls :func:`invalidate` there, or at the latest after ``CALENDAR_CACHE_SECONDS``)."""
    global _current, _built_at
    ttl = settings.CALENDAR_CACHE_SECONDS
    with _lock:
        now = timezone.now()
        if _current is None or (now - _built_at).total_seconds() > ttl:
            _current, _built_at = build(), now
        return _current


_built_at = datetime.min.replace(tzinfo=ZONE)


def invalidate(**kwargs) -> None:
    global _current
    with _lock:
        _current = None


def connect_signals() -> None:
    """Drop the cached calendar whenever one of its tables changes (``WorkflowsConfig``
    or the admin module calls this once)."""
    from .models import CalendarException, CalendarYear, OfficeHours

    for model in (OfficeHours, CalendarYear, CalendarException):
        for signal in (post_save, post_delete):
            signal.connect(invalidate, sender=model, dispatch_uid=f"calendar-{model.__name__}")


connect_signals()
