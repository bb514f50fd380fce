"""The working calendar with real dates: Idul Fitri and cuti bersama 2026, the year end, a
Friday afternoon, starts outside office hours, pauses over a holiday, the admin's exceptions."""

from datetime import date, datetime, timedelta

import pytest

from workflows import calendar
from workflows.calendar import ZONE, WorkingCalendar
from workflows.durations import Duration, TimeUnit
from workflows.models import CalendarException, CalendarYear, OfficeHours


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def days(n):
    return Duration(n, TimeUnit.DAYS)


def hours(n):
    return Duration(n, TimeUnit.HOURS)


CAL = WorkingCalendar()


def test_it_skips_nyepi_and_idul_fitri_with_its_cuti_bersama_2026():
    # 18 Mar cuti Nyepi, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti.
    assert CAL.due(wita(2026, 3, 17, 10, 0), days(1)) == wita(2026, 3, 25, 16, 0)


def test_it_counts_cuti_bersama_when_the_office_stays_open_that_year():
    cal = WorkingCalendar(cuti_bersama_open_years=frozenset({2026}))

    assert cal.due(wita(2026, 3, 17, 10, 0), days(1)) == wita(2026, 3, 18, 16, 0)
    assert cal.due(wita(2026, 3, 19, 10, 0), days(1)) == wita(2026, 3, 20, 16, 30)


def test_it_names_the_non_working_days_of_a_year():
    closures = {c.day: c.name for c in CAL.non_working_days(2026)}

    assert closures[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert date(2026, 12, 24) in closures and date(2026, 12, 25) in closures
    assert closures[date(2026, 3, 21)] == "Hari Raya Idul Fitri"  # on a Saturday
    assert date(2026, 3, 28) not in closures  # a plain Saturday


def test_it_crosses_the_year_end():
    # 24 Dec cuti Natal, 25 Natal, weekend, then 28 and 29 Dec.
    assert CAL.due(wita(2026, 12, 23, 10, 0), days(2)) == wita(2026, 12, 29, 16, 0)
    # 31 Dec, 1 Jan Tahun Baru, weekend, 4 Jan 2027.
    assert CAL.due(wita(2026, 12, 30, 15, 0), days(2)) == wita(2027, 1, 4, 16, 0)


def test_it_does_not_count_the_day_the_clock_starts():
    assert CAL.due(wita(2026, 11, 9, 7, 30), days(1)) == wita(2026, 11, 10, 16, 0)


def test_a_day_norm_ending_on_a_friday_ends_at_its_later_closing_time():
    assert CAL.due(wita(2026, 11, 12, 9, 0), days(1)) == wita(2026, 11, 13, 16, 30)


def test_a_week_is_five_working_days():
    assert CAL.due(wita(2026, 11, 9, 9, 0), Duration(1, TimeUnit.WEEKS)) == wita(
        2026, 11, 16, 16, 0
    )


def test_it_carries_a_friday_afternoon_start_over_the_weekend():
    # Friday closes at 16:30: 1.5 h on Friday, 2.5 h on Monday from 07:30.
    assert CAL.due(wita(2026, 11, 6, 15, 0), hours(4)) == wita(2026, 11, 9, 10, 0)


def test_a_step_started_outside_office_hours_starts_counting_at_the_next_opening():
    assert CAL.due(wita(2026, 11, 9, 6, 0), hours(1)) == wita(2026, 11, 9, 8, 30)
    assert CAL.due(wita(2026, 11, 7, 10, 0), hours(1)) == wita(2026, 11, 9, 8, 30)  # Saturday
    assert CAL.due(wita(2026, 11, 9, 19, 0), hours(1)) == wita(2026, 11, 10, 8, 30)


def test_the_midday_break_does_not_count():
    assert CAL.due(wita(2026, 11, 9, 11, 30), hours(1)) == wita(2026, 11, 9, 13, 30)
    assert CAL.due(wita(2026, 11, 13, 11, 0), hours(1)) == wita(2026, 11, 13, 13, 30)  # Friday


def test_a_norm_that_runs_out_at_closing_time_is_due_then_not_at_the_next_opening():
    assert CAL.due(wita(2026, 11, 9, 15, 0), hours(1)) == wita(2026, 11, 9, 16, 0)


def test_a_pause_over_a_holiday_leaves_only_office_time_outside_the_pause():
    start, end = wita(2026, 3, 17, 9, 0), wita(2026, 3, 26, 9, 0)
    pause = (wita(2026, 3, 17, 14, 0), wita(2026, 3, 25, 10, 0))

    # 17 Mar 09:00-14:00 less the break (4 h), 25 Mar 10:00-16:00 less the break (5 h),
    # 26 Mar 07:30-09:00 (1.5 h); the closed days inside the pause count for nothing.
    assert CAL.elapsed(start, end, [pause]) == timedelta(hours=10, minutes=30)
    assert CAL.elapsed(*pause) == timedelta(hours=4, minutes=30)


def test_an_open_pause_runs_to_the_end():
    start = wita(2026, 11, 9, 7, 30)
    assert CAL.elapsed(start, wita(2026, 11, 9, 16, 0), [(wita(2026, 11, 9, 9, 30), None)]) == (
        timedelta(hours=2)
    )


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        CAL.due(datetime(2026, 11, 9, 9, 0), hours(1))


@pytest.mark.django_db
def test_the_admins_exceptions_override_the_library():
    CalendarException.objects.create(
        date=date(2026, 11, 10), kind=CalendarException.Kind.CLOSED, name="Banjir"
    )
    CalendarException.objects.create(
        date=date(2026, 3, 20), kind=CalendarException.Kind.OPEN, name="Moved"
    )
    CalendarException.objects.create(
        date=date(2026, 11, 14), kind=CalendarException.Kind.OPEN, name="Saturday service"
    )
    cal = calendar.current()

    assert cal.due(wita(2026, 11, 9, 9, 0), days(1)) == wita(2026, 11, 11, 16, 0)
    assert cal.due(wita(2026, 3, 19, 9, 0), days(1)) == wita(2026, 3, 20, 16, 30)  # a Friday
    assert cal.due(wita(2026, 11, 13, 9, 0), days(1)) == wita(2026, 11, 14, 16, 0)
    assert {c.day: c.name for c in cal.non_working_days(2026)}[date(2026, 11, 10)] == "Banjir"


@pytest.mark.django_db
def test_the_yearly_switch_and_the_office_hours_come_from_the_database():
    CalendarYear.objects.create(year=2026, cuti_bersama_closes=False)
    OfficeHours.objects.create(weekday=0, opens="08:00", closes="15:00")

    cal = calendar.current()

    assert cal.due(wita(2026, 3, 17, 10, 0), days(1)) == wita(2026, 3, 18, 16, 0)
    assert cal.due(wita(2026, 11, 9, 7, 0), hours(7)) == wita(2026, 11, 9, 15, 0)


@pytest.mark.django_db
def test_a_change_to_the_calendar_drops_the_cached_one():
    before = calendar.current()
    assert calendar.current() is before

    CalendarException.objects.create(
        date=date(2026, 11, 10), kind=CalendarException.Kind.CLOSED, name="Banjir"
    )

    assert calendar.current() is not before
    assert not calendar.current().is_working_day(date(2026, 11, 10))
