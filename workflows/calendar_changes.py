"""Changes to the working calendar (office hours, per-year switches, dated exceptions): one
function per change, whichever door it comes through (the admin today). Each saves or deletes
the rows, carries the deadlines of running steps over to the new calendar from now on
(:func:`workflows.clocks.recompute_running`) and writes one audit entry that lists the deadlines
it moved (task and application ids, old and new due dates)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from sop_portal import audit

from . import calendar, clocks
from .models import CalendarException, CalendarYear, OfficeHours, Task

#: The audit name of each calendar table: ``workflows.calendar.<name>.saved`` / ``.deleted``.
KINDS: dict[type[models.Model], str] = {
    OfficeHours: "office_hours",
    CalendarYear: "year",
    CalendarException: "exception",
}


def _running(now: datetime) -> dict[int, tuple[int, datetime]]:
    """The running deadlines a calendar change may move: open tasks not yet due."""
    rows = Task.objects.open().filter(due_at__gt=now).values_list("pk", "application_id", "due_at")
    return {pk: (application, due) for pk, application, due in rows}


def _moved(before: dict, after: dict) -> list[dict]:
    moved = []
    for pk, (application, old) in sorted(before.items()):
        new = after.get(pk, (application, old))[1]
        if new != old:
            moved.append({"task": pk, "application": application, "old_due": old, "new_due": new})
    return moved


def _values(row: models.Model) -> dict:
    data = model_to_dict(row)
    data.pop("id", None)
    return data


def _change(
    rows: list[models.Model], apply: Callable[[], None], *, by, verb: str, reason: str = ""
) -> list[dict]:
    """Apply a change to calendar ``rows`` (all of one table), move the running deadlines and
    audit it on the first row; returns the moved deadlines."""
    kind = KINDS[type(rows[0])]
    with transaction.atomic():
        now = timezone.now()
        old = calendar.build()
        before = _running(now)
        stored = {
            r.pk: _values(r)
            for r in type(rows[0])._default_manager.filter(pk__in=[r.pk for r in rows])
        }
        apply()
        calendar.invalidate()
        clocks.recompute_running(old, calendar.current(), now)
        moved = _moved(before, _running(now))
        for row in rows:
            audit.record(
                f"workflows.calendar.{kind}.{verb}",
                row,
                actor=by,
                before=stored.get(row.pk),
                after={
                    **({} if verb == "deleted" else _values(row)),
                    "moved_deadlines": moved if row is rows[0] else [],
                },
                reason=reason,
            )
    return moved


def save_row(row: models.Model, *, by=None, reason: str = "") -> list[dict]:
    """Save a calendar row (office hours of a weekday, a year's switch, a dated exception), new
    or changed; returns the running deadlines it moved."""
    return _change([row], row.save, by=by, verb="saved", reason=reason)


def save_office_hours(row: OfficeHours, *, by=None, reason: str = "") -> list[dict]:
    return save_row(row, by=by, reason=reason)


def save_year(row: CalendarYear, *, by=None, reason: str = "") -> list[dict]:
    return save_row(row, by=by, reason=reason)


def save_exception(row: CalendarException, *, by=None, reason: str = "") -> list[dict]:
    return save_row(row, by=by, reason=reason)


def delete_rows(rows: Iterable[models.Model], *, by=None, reason: str = "") -> list[dict]:
    """Delete calendar rows of one table (one audit entry each, before they go); returns the
    running deadlines the deletion moved."""
    rows = list(rows)
    if not rows:
        return []
    model = type(rows[0])

    def apply():
        model._default_manager.filter(pk__in=[r.pk for r in rows]).delete()

    return _change(rows, apply, by=by, verb="deleted", reason=reason)
