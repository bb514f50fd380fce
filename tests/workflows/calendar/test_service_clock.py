"""The whole application's service time: started by the check's *Ya*, pushed by applicant
time, stopped by the decision; late applications flagged once, deemed approved only where the
service's policy says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from permits.models import Notification
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import calendar, clocks, engine
from workflows.models import ServiceClock
from workflows.sweep import sweep

pytestmark = pytest.mark.django_db


def checked(service, cast):
    application = submitted(service, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    return application


def test_the_service_time_starts_when_the_file_is_declared_complete(akdp, cast):
    application = submitted(akdp, cast.ani)
    assert not ServiceClock.objects.filter(application=application).exists()

    engine.complete(the_task(application, 2), cast.budi, outcome="yes")

    clock = ServiceClock.objects.get(application=application)
    assert clock.due_at == calendar.current().due(clock.started_at, akdp.service_time)


def test_applicant_time_pushes_the_service_time(akdp, cast):
    application = checked(akdp, cast)
    clock = ServiceClock.objects.get(application=application)
    before = clock.due_at
    waited_since = clock.started_at
    later = calendar.current().add_office_time(clock.started_at, timedelta(hours=3))

    clocks.applicant_answered(application, waited_since, later)

    clock.refresh_from_db()
    assert clock.due_at == calendar.current().shift(before, timedelta(hours=3))


def test_a_late_application_is_flagged_once_to_the_office_head(akdp, cast):
    application = checked(akdp, cast)
    after = timezone.now() + timedelta(days=400)

    sweep(after)
    sweep(after)

    clock = ServiceClock.objects.get(application=application)
    assert clock.late_at is not None and clock.deemed_approved_at is None
    late = Notification.objects.filter(text__contains="has run past its service time")
    assert [n.recipient for n in late] == [cast.dewi]
    assert not AuditEntry.objects.filter(action="workflows.application.deemed_approved").exists()


def test_it_records_the_deemed_approval_where_the_policy_says_so(akdp, cast):
    akdp.deemed_approval = True
    akdp.save(update_fields=["deemed_approval"])
    application = checked(akdp, cast)

    sweep(timezone.now() + timedelta(days=400))

    assert ServiceClock.objects.get(application=application).deemed_approved_at is not None
    entry = AuditEntry.objects.get(action="workflows.application.deemed_approved")
    assert entry.object_id == str(application.pk)
    assert Notification.objects.filter(recipient=cast.dewi, text__contains="deemed approved")


def test_a_decision_in_time_stops_the_service_clock(akdp, cast):
    from datetime import date

    from permits.actions import schedule_inspection
    from tests.permits.lifecycle.kit import pdf

    application = checked(akdp, cast)
    engine.complete(the_task(application, 3), cast.fajar)
    inspect = the_task(application, 4, "DISHUB")
    schedule_inspection(inspect, cast.citra, date.today())
    engine.complete(inspect, cast.citra, data={"report": pdf("bap.pdf"), "findings": "Sesuai"})
    engine.complete(the_task(application, 5, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 6), cast.fajar, data={"verdict": "approve"})

    sweep(timezone.now() + timedelta(days=400))

    clock = ServiceClock.objects.get(application=application)
    assert clock.decided_at is not None and clock.late_at is None
