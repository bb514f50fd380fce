"""The laws of deadline arithmetic, for any start instant (2025-2027, holidays included)."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.calendar import ZONE, WorkingCalendar
from workflows.durations import Duration, TimeUnit

CAL = WorkingCalendar()

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 10, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=ZONE)
)
office_units = st.sampled_from([TimeUnit.MINUTES, TimeUnit.HOURS])
day_units = st.sampled_from([TimeUnit.DAYS, TimeUnit.WEEKS])


def in_office_time(moment: datetime) -> bool:
    moment = moment.astimezone(ZONE)
    return any(a <= moment.time() <= b for a, b in CAL.intervals_of(moment.date()))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(0, 3000), office_units | day_units)
def test_it_never_puts_a_deadline_outside_office_time(start, value, unit):
    if unit in (TimeUnit.DAYS, TimeUnit.WEEKS):
        value = value % 40
    assert in_office_time(CAL.due(start, Duration(value, unit)))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(0, 2000), st.integers(0, 2000), office_units)
def test_office_time_norms_compose(start, a, b, unit):
    first = CAL.due(start, Duration(a, unit))
    assert CAL.due(first, Duration(b, unit)) == CAL.due(start, Duration(a + b, unit))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(1, 30), st.integers(1, 30), day_units)
def test_working_day_norms_compose(start, a, b, unit):
    first = CAL.due(start, Duration(a, unit))
    assert CAL.due(first, Duration(b, unit)) == CAL.due(start, Duration(a + b, unit))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(0, 3000))
def test_the_office_time_until_a_deadline_is_the_norm(start, minutes):
    due = CAL.due(start, Duration(minutes, TimeUnit.MINUTES))
    assert CAL.elapsed(start, due) == timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(1, 40))
def test_weekends_and_holidays_are_never_counted_as_working_days(start, n):
    due = CAL.due(start, Duration(n, TimeUnit.DAYS))
    counted = [
        start.date() + timedelta(days=i) for i in range(1, (due.date() - start.date()).days + 1)
    ]
    working = [d for d in counted if d.weekday() < 5 and CAL.closure(d) is None]
    assert len(working) == n
    assert due.date().weekday() < 5 and CAL.closure(due.date()) is None


@settings(max_examples=100, deadline=None)
@given(instants, instants)
def test_closed_days_hold_no_office_time(a, b):
    start, end = min(a, b), max(a, b)
    per_day = timedelta(0)
    day = start.date()
    while day <= end.date():
        if day.weekday() >= 5 or CAL.closure(day) is not None:
            lo = max(start, datetime.combine(day, datetime.min.time(), ZONE))
            hi = min(end, datetime.combine(day + timedelta(days=1), datetime.min.time(), ZONE))
            per_day += CAL.elapsed(lo, hi) if hi > lo else timedelta(0)
        day += timedelta(days=1)
    assert per_day == timedelta(0)
