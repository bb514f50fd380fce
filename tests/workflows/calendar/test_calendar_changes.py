"""A calendar change, whichever door: the admin saves and deletes through
``workflows.calendar_changes``, which moves the running deadlines and audits the change with
the deadlines it moved (task and application, old and new due date)."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import calendar, calendar_changes
from workflows.models import CalendarException, OfficeHours

pytestmark = pytest.mark.django_db

# Monday evening, office closed: the 30-minute completeness check falls due on Tuesday morning.
MONDAY_EVENING = datetime(2026, 3, 2, 20, 0, tzinfo=calendar.ZONE)
TUESDAY = date(2026, 3, 3)


def iso(moment: datetime) -> str:
    return DjangoJSONEncoder().default(moment)


@pytest.fixture
def admin_client(client, cast):
    cast.eko.is_staff = cast.eko.is_superuser = True
    cast.eko.save()
    client.force_login(cast.eko)
    return client


@time_machine.travel(MONDAY_EVENING)
def test_a_closure_added_in_the_admin_is_audited_with_the_deadlines_it_moves(
    admin_client, akdp, cast
):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    old_due = task.due_at
    assert calendar._local(old_due).date() == TUESDAY

    response = admin_client.post(
        reverse("admin:workflows_calendarexception_add"),
        {"date": "2026-03-03", "kind": "closed", "name": "Banjir"},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert calendar._local(task.due_at).date() > TUESDAY
    entry = AuditEntry.objects.get(action="workflows.calendar.exception.saved")
    assert entry.actor == cast.eko
    assert entry.after["name"] == "Banjir" and entry.after["date"] == "2026-03-03"
    assert entry.after["moved_deadlines"] == [
        {
            "task": task.pk,
            "application": application.pk,
            "old_due": iso(old_due),
            "new_due": iso(task.due_at),
        }
    ]


@time_machine.travel(MONDAY_EVENING)
def test_deleting_the_closure_moves_the_deadline_back_and_is_audited(admin_client, akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    old_due = task.due_at
    closure = CalendarException(date=TUESDAY, kind=CalendarException.Kind.CLOSED, name="Banjir")
    calendar_changes.save_exception(closure, by=cast.eko)

    response = admin_client.post(
        reverse("admin:workflows_calendarexception_delete", args=[closure.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not CalendarException.objects.exists()
    task.refresh_from_db()
    assert task.due_at == old_due
    entry = AuditEntry.objects.get(action="workflows.calendar.exception.deleted")
    assert entry.before["name"] == "Banjir"
    assert [m["task"] for m in entry.after["moved_deadlines"]] == [task.pk]


@time_machine.travel(MONDAY_EVENING)
def test_a_change_that_moves_nothing_is_still_audited(cast):
    hours = OfficeHours(weekday=6, is_open=False)
    assert calendar_changes.save_office_hours(hours, by=cast.eko) == []
    entry = AuditEntry.objects.get(action="workflows.calendar.office_hours.saved")
    assert entry.after["moved_deadlines"] == [] and entry.after["weekday"] == 6
