"""Each step, as it ends, records the office time it took and the office time it spent
paused: the figures the monitoring reports add up."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from permits.actions import schedule_inspection
from tests.permits.lifecycle.kit import akdp, cast, pdf, submitted, the_task  # noqa: F401
from workflows import calendar, engine
from workflows.models import StepEvent, Task

pytestmark = pytest.mark.django_db


def test_a_step_records_its_office_time_without_its_pause(akdp, cast):  # noqa: F811
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    inspect = the_task(application, 4, "DISHUB")
    schedule_inspection(inspect, cast.citra, date.today())
    now = timezone.now()
    opened, paused = now - timedelta(days=14), now - timedelta(days=7)
    Task.objects.filter(pk=inspect.pk).update(opened_at=opened, paused_at=paused)
    StepEvent.objects.filter(task=inspect, kind=StepEvent.Kind.PAUSED).update(at=paused)
    inspect.refresh_from_db()

    engine.complete(inspect, cast.citra, data={"report": pdf("bap.pdf"), "findings": "Sesuai"})

    inspect.refresh_from_db()
    cal = calendar.current()
    assert inspect.office_time == cal.elapsed(opened, paused)
    assert inspect.paused_time == cal.elapsed(paused, inspect.completed_at)
    # A week holds office time (fewer than four working days in the week of Christmas).
    assert inspect.office_time > timedelta(0)
    assert inspect.paused_time > timedelta(0)


def test_a_step_without_a_pause_records_no_paused_time(akdp, cast):  # noqa: F811
    application = submitted(akdp, cast.ani)
    check = the_task(application, 2)
    Task.objects.filter(pk=check.pk).update(opened_at=timezone.now() - timedelta(days=3))
    check.refresh_from_db()

    engine.complete(check, cast.budi, outcome="yes")

    check.refresh_from_db()
    assert check.paused_time == timedelta(0)
    assert check.office_time == calendar.current().elapsed(check.opened_at, check.completed_at)
    assert Task.objects.get(application=application, step__no=3).office_time is None
