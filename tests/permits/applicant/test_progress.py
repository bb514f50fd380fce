"""Each step's due date and clock, the pauses with their reasons, the service time and the
predicted completion on the applicant's page and the public tracking page, in a constant
number of queries whatever the number of steps."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from permits import actions, fragments, lifecycle, progress
from permits.models import Application
from sop_portal.formatting import format_moment
from tests.permits.lifecycle.kit import pdf, the_task
from tests.queries import AppQueries
from workflows import calendar, clocks, engine
from workflows.durations import Duration, TimeUnit
from workflows.models import PerformerRole, ServiceClock, Task

from .progress_kit import at_inspection, checked, grow, submitted_with_code

pytestmark = pytest.mark.django_db


def _wita(moment: datetime) -> str:
    return format_moment(moment)  # "2 March 2026, 10.00 WITA"


def _page(client, application) -> str:
    client.force_login(application.applicant)
    response = client.get(reverse("permits:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _track(client, application, code) -> str:
    response = client.post(
        reverse("permits:track"), {"nomor": application.tracking_number, "kode": code}
    )
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """What a reader sees: the tags dropped, the spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _step(html: str, activity: str) -> str:
    """The text of the timeline entry of the step whose activity is ``activity``."""
    return _text(html.split(activity, 1)[1].split("</li>", 1)[0])


def test_it_shows_each_steps_due_date_and_clock_to_the_applicant(client, cast, akdp):
    application, _code = checked(akdp, cast)
    registering = the_task(application, 3)
    html = _page(client, application)

    check = _step(html, "Memeriksa kelengkapan")
    assert "Done on time" in check
    current = _step(html, registering.step.activity)
    assert "On time" in current and "Due" in current and _wita(registering.due_at) in current
    assert 'aria-current="step"' in html.split(registering.step.activity)[0].rsplit("<li", 1)[1]
    assert "css/timeline.css" in html


def test_it_shows_an_overdue_step_and_then_a_step_done_late(client, cast, akdp):
    application, _code = checked(akdp, cast)
    late = timezone.now() - timedelta(hours=1)
    Task.objects.filter(pk=the_task(application, 3).pk).update(due_at=late)
    step = the_task(application, 3).step.activity

    assert "Overdue" in _step(_page(client, application), step)
    engine.complete(the_task(application, 3), cast.fajar)
    assert "Done late" in _step(_page(client, application), step)


def test_it_shows_a_pause_with_its_reason_and_who_stopped_the_clock(client, cast, akdp):
    application, _code = at_inspection(akdp, cast)
    inspection = the_task(application, 4)
    html = _page(client, application)

    entry = _step(html, inspection.step.activity)
    assert "Paused" in entry and "Waiting for an external event" in entry
    assert "until" in entry and "since" in entry
    assert "stopped by" in entry and "Dinas Perhubungan" in entry
    assert "Citra" not in html and "Cek armada" not in html  # roles, never names or notes


def test_it_shows_the_steps_still_ahead_with_their_time_norms(client, cast, akdp):
    application, _code = at_inspection(akdp, cast)
    html = _page(client, application)
    ahead = _text(html.split("step-timeline__item--upcoming", 1)[1])
    steps = application.sop_version.steps
    recommend, decide = steps.get(no=5).activity, steps.get(no=6).activity
    assert ahead.index(recommend) < ahead.index(decide)
    assert "Upcoming" in ahead and "Time norm: 3 working days" in ahead
    assert steps.get(no=8).activity not in ahead  # the rejection letter is off the expected path


def test_the_public_page_shows_clocks_and_pauses_without_personal_data(client, cast, akdp):
    cast.ani.nik = "7401010101010001"
    cast.ani.save()
    application, code = at_inspection(akdp, cast)
    html = _track(client, application, code)

    entry = _step(html, the_task(application, 4).step.activity)
    assert "Waiting for an external event" in entry and "Dinas Perhubungan" in entry
    assert "stopped by" not in entry
    assert "Service time" in html and "Predicted completion" in html
    assert "Done on time" in html
    for personal in ("Ani", "Citra", "Budi", "Fajar", "7401010101010001", "Cek armada"):
        assert personal not in html, personal


def test_it_shows_the_service_time_from_the_moment_the_file_is_complete(client, cast, akdp):
    application, _code = submitted_with_code(akdp, cast.ani)
    assert "Not started yet" in _page(client, application)

    engine.complete(the_task(application, 2), cast.budi, "yes")
    clock = ServiceClock.objects.get(application=application)
    predicted = clocks.predicted_completion(application)
    html = _page(client, application)

    card = _text(html.split('id="service-time-title"')[1].split("</section>")[0])
    assert "10 working days" in card and "Declared complete" in card
    assert _wita(clock.started_at) in card and _wita(clock.due_at) in card
    assert "Working days used" in card and "0 of 10" in card
    assert _wita(predicted) in card and "On time" in card


def test_a_decided_application_shows_its_service_time_met_and_past_pauses(client, cast, akdp):
    application, _code = checked(akdp, cast)
    engine.complete(the_task(application, 3), cast.fajar)
    actions.schedule_inspection(the_task(application, 4), cast.citra, timezone.localdate())
    engine.complete(the_task(application, 4), cast.citra, data={"report": pdf("bap.pdf")})
    engine.complete(the_task(application, 5), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 6), cast.fajar, "yes", data={"verdict": "approve"})
    html = _page(client, application)

    card = _text(html.split('id="service-time-title"')[1].split("</section>")[0])
    assert "Decided on time" in card and "Decided" in card
    inspection = _step(html, application.sop_version.steps.get(no=4).activity)
    assert "Done on time" in inspection and "Waiting for an external event" in inspection
    assert " to " in inspection and "since" not in inspection


def test_a_withdrawn_application_shows_its_clocks_stopped(client, cast, akdp):
    application, _code = checked(akdp, cast)
    step = the_task(application, 3).step.activity
    lifecycle.withdraw(application, cast.ani, "Salah layanan")
    html = _page(client, application)
    assert "Cancelled" in _step(html, step) and "Stopped" in _step(html, step)
    card = _text(html.split('id="service-time-title"')[1].split("</section>")[0])
    assert "Stopped" in card and "Predicted completion" not in card
    assert "step-timeline__item--upcoming" not in html


def test_it_counts_working_days_used_and_leaves_out_the_applicants_time(cast, akdp):
    """Real dates: started Monday 2 March 2026 10:00 WITA, 10 working days are due on
    Monday 16 March; on Thursday 5 March three working days are used."""
    application, _code = submitted_with_code(akdp, cast.ani)
    cal = calendar.current()
    started = datetime(2026, 3, 2, 10, 0, tzinfo=calendar.ZONE)
    due = cal.due(started, Duration(10, TimeUnit.DAYS))
    assert due.date().isoformat() == "2026-03-16"
    ServiceClock.objects.create(application=application, started_at=started, due_at=due)
    thursday_noon = datetime(2026, 3, 5, 12, 0, tzinfo=calendar.ZONE)

    running = progress.service_time(application, [], thursday_noon)
    assert (running.status, running.working_days_used, running.working_days) == ("on_time", 3, 10)
    assert running.waited == timedelta(0)

    # The file went back to the applicant at Thursday noon and is still with them on Friday
    # noon: the office's clock stands at Thursday noon, the wait is not counted.
    wait = Task(role=PerformerRole.APPLICANT, opened_at=thursday_noon, status=Task.Status.OPEN)
    application.status = Application.Status.RETURNED
    friday_noon = datetime(2026, 3, 6, 12, 0, tzinfo=calendar.ZONE)
    paused = progress.service_time(application, [wait], friday_noon)
    assert paused.status == "paused" and paused.working_days_used == 3
    assert paused.waited == timedelta(hours=7)  # Thu 13:00-16:00 and Fri 07:30-11:30

    overdue = progress.service_time(
        application, [], datetime(2026, 3, 17, 9, 0, tzinfo=calendar.ZONE)
    )
    assert overdue.status == "overdue" and overdue.working_days_used == 11


def test_it_shows_the_applicants_wait_on_the_service_time(client, cast, akdp):
    application, _code = checked(akdp, cast)
    clock = ServiceClock.objects.get(application=application)
    ServiceClock.objects.filter(pk=clock.pk).update(
        started_at=clock.started_at - timedelta(days=14)
    )
    # A correction round that took a whole working day of office time.
    step = application.sop_version.steps.get(no=1)
    opened = calendar.current().next_office_instant(clock.started_at - timedelta(days=7))
    Task.objects.create(
        application=application,
        step=step,
        role=PerformerRole.APPLICANT,
        status=Task.Status.DONE,
        opened_at=opened,
        completed_at=calendar.current().add_office_time(opened, timedelta(hours=7)),
    )
    html = _page(client, application)
    assert "Time waiting for the applicant is not counted: 7 hours of office time" in _text(html)


def _queries(fetch) -> int:
    with AppQueries(connection) as captured:
        fetch()
    return len(captured)


def test_the_pages_take_the_same_number_of_queries_for_3_and_12_steps(client, cast, akdp):
    application, code = checked(akdp, cast)
    assert Task.objects.filter(application=application).count() == 3
    calendar.current()
    client.force_login(cast.ani)
    detail = reverse("permits:application_detail", args=[application.pk])
    tracked = {"nomor": application.tracking_number, "kode": code}

    # Once first: fills the per-catalogue-version caches (the SOP's steps), and the lookup's
    # grant is in the session (a repeat lookup does not write it again).
    client.get(detail)
    _track(client, application, code)

    def uncached_lookup():
        # As after a step's write: the cached tracking result is outdated, built again.
        fragments.bump(f"track:{application.pk}")
        return client.post(reverse("permits:track"), tracked)

    small = (_queries(lambda: client.get(detail)), _queries(uncached_lookup))
    grow(application, 9)
    assert Task.objects.filter(application=application).count() == 12
    assert "round 10" in client.get(detail).content.decode()
    big = (_queries(lambda: client.get(detail)), _queries(uncached_lookup))
    assert small == big
    # A repeat lookup with nothing changed is served from the cache.
    assert _queries(lambda: _track(client, application, code)) < big[1]
