"""Per-step clocks on real applications: deadlines from the step's norm, pauses that push them,
the calendar changing under running steps, the badge, and the warning sweep."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.utils import timezone

from permits.actions import schedule_inspection
from permits.models import Notification
from tests.permits.lifecycle.kit import pdf, submitted, the_task
from tests.queries import AppQueries
from workflows import calendar, clocks, engine
from workflows.models import CalendarException, ClockWarning, Task
from workflows.sweep import sweep

pytestmark = pytest.mark.django_db


def test_it_gives_each_opened_step_the_deadline_of_its_norm(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)

    assert task.step.duration is not None
    assert task.due_at == calendar.current().due(task.opened_at, task.step.duration)
    kinds = set(ClockWarning.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == {"soon_1", "soon_2", "overdue"}
    assert ClockWarning.objects.get(task=task, kind="overdue").at == task.due_at


def test_a_field_visit_pushes_the_deadline_by_the_office_time_it_took(akdp, cast):
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    inspect = the_task(application, 4, "DISHUB")
    schedule_inspection(inspect, cast.citra, date.today())
    inspect.refresh_from_db()
    assert clocks.state(inspect).status == clocks.PAUSED
    assert clocks.state(inspect).pauses[0].reason == "external_wait"
    paused_since = inspect.paused_at - timedelta(days=7)
    Task.objects.filter(pk=inspect.pk).update(paused_at=paused_since)
    before = inspect.due_at

    engine.complete(inspect, cast.citra, data={"report": pdf("bap.pdf"), "findings": "Sesuai"})

    inspect.refresh_from_db()
    cal = calendar.current()
    paused = cal.elapsed(paused_since, inspect.completed_at)
    assert paused > timedelta(0)  # a week holds office time (less around Christmas)
    assert inspect.due_at == cal.shift(before, paused)


# Monday evening, office closed: the 30-minute step falls due on Tuesday, which then closes.
@time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=calendar.ZONE))
def test_changing_the_calendar_moves_running_deadlines_from_now_on(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    old = calendar.current()
    done_before = task.due_at
    # The day the deadline falls on (today or a later working day, by the hour of submission).
    first_day = timezone.localtime(done_before).date()

    CalendarException.objects.create(
        date=first_day, kind=CalendarException.Kind.CLOSED, name="Banjir"
    )
    clocks.recompute_running(old, calendar.current())

    task.refresh_from_db()
    assert task.due_at > done_before
    assert ClockWarning.objects.get(task=task, kind="overdue").at == task.due_at


def test_the_badge_shows_the_state_and_the_due_date_in_wita(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)

    html = Template("{% load clocks %}{% due_badge task %}").render(Context({"task": task}))

    assert "WITA" in html and "badge" in html
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    task.refresh_from_db()
    assert "text-bg-danger" in Template("{% load clocks %}{% due_badge task %}").render(
        Context({"task": task})
    )


def _after_everything():
    return timezone.now() + timedelta(days=400)


def test_the_sweep_sends_each_warning_once(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    first = ClockWarning.objects.get(task=task, kind="soon_1").at

    sent = sweep(first)
    assert sent == {"soon_1": 1}
    assert (
        Notification.objects.filter(recipient=cast.budi, text__startswith="Due soon").count() == 1
    )

    assert not sweep(first)
    later = sweep(_after_everything())
    assert later == {"overdue": 1, "soon_2": 1}
    assert not sweep(_after_everything())
    overdue = Notification.objects.filter(text__startswith="Overdue")
    assert {n.recipient for n in overdue} == {cast.budi, cast.dewi}  # the queue and its head


def test_the_sweep_warns_the_assignee_rather_than_the_queue(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = engine.claim(the_task(application, 2), cast.budi)
    other = _staff_colleague(task)

    sweep(_after_everything())

    assert not Notification.objects.filter(recipient=other, text__startswith="Due soon").exists()
    assert Notification.objects.filter(recipient=cast.budi, text__startswith="Overdue").exists()


def _staff_colleague(task):
    from tests.factories import MembershipFactory

    return MembershipFactory(agency=task.agency, role=task.role).user


def test_the_sweep_leaves_paused_and_finished_steps_alone(akdp, cast):
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    schedule_inspection(the_task(application, 4, "DISHUB"), cast.citra, date.today())

    sent = sweep(_after_everything())

    assert not sent  # steps 2 and 3 are done, step 4 waits for the visit


def test_the_sweep_takes_the_same_few_queries_whatever_the_number_of_tasks(akdp, cast):
    def queries_for(n):
        for _ in range(n):
            submitted(akdp, cast.ani)
        with AppQueries(connection) as captured:
            sent = sweep(_after_everything())
        assert sent.total() == 3 * n
        return len(captured)

    assert queries_for(1) == queries_for(5)


def test_the_predicted_completion_of_a_late_file_never_lies_in_the_past(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(days=30))
    now = timezone.now()

    predicted = clocks.predicted_completion(application, now=now)

    following = clocks.predicted_completion(application, now=now + timedelta(days=30))
    assert predicted > now
    assert following > predicted  # it moves on as the late step stays open
