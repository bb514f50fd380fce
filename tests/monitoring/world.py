"""A known set of applications with known step times, for checking every monitoring figure
against hand-computed values. September–October 2026 has no holiday, so working days are
plain weekdays (office hours: Monday–Thursday 7:30–12:00 and 13:00–16:00, WITA).

Service "Izin Uji Pantau", SOP v1 (``build_sop_version``): 1 applicant submits (no office
norm), 2 front office checks (30 minutes), 3 DISHUB recommends (3 working days = 22.5 office
hours), 4 head signs (1 working day = 7.5 office hours).

    A1  submitted 1 Sep, completed 7 Sep.   step 2 20 min on time; step 3 14 h on time;
        step 4 10 h late. Service clock 1 Sep → decided 7 Sep, within (due 15 Sep).
    A2  submitted 8 Sep, completed 9 Oct.   step 2 60 min late; returned: applicant step
        (cycle 2) paused 15 h; step 2 again 15 min on time; step 3 20 h on time, paused
        22.5 h waiting outside; step 4 100 h late (ended in October). Clock 10 Sep → decided
        9 Oct, late (due 24 Sep).
    A3  submitted 14 Sep, in progress.      step 2 10 min on time; step 3 open.
        Clock started 14 Sep.
    A4  submitted 21 Sep, withdrawn 22 Sep. (received, never completed)
    A5  submitted 6 Jul, completed 8 Jul.   step 2 20 min on time (outside the period)
    A6  submitted 3 Aug, in progress.       step 2 open at the front office, not declared
        complete (no service clock).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agencies.models import Agency
from permits.models import Application, Service
from tests.factories import AgencyFactory, ServiceFactory, UserFactory, build_sop_version, office
from workflows.calendar import ZONE
from workflows.models import PauseReason, PerformerRole, ServiceClock, StepEvent, Task

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))


def at(month: int, day: int, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


H = timedelta(hours=1)
M = timedelta(minutes=1)


@dataclass
class World:
    service: Service
    office: Agency
    dishub: Agency
    apps: dict[str, Application]
    steps: dict[int, object]


def _task(
    app, step, agency, opened, completed=None, due=None, office_time=None, paused=None, cycle=1
):
    return Task.objects.create(
        application=app,
        step=step,
        agency=agency,
        role=step.performer.role,
        cycle=cycle,
        status=Task.Status.DONE if completed else Task.Status.OPEN,
        opened_at=opened,
        completed_at=completed,
        due_at=due,
        office_time=office_time,
        paused_time=paused if paused is not None else (timedelta(0) if completed else None),
    )


def _pause(task, start, end, reason):
    StepEvent.objects.create(
        application=task.application,
        task=task,
        kind=StepEvent.Kind.PAUSED,
        at=start,
        reason=reason,
    )
    StepEvent.objects.create(
        application=task.application,
        task=task,
        kind=StepEvent.Kind.RESUMED,
        at=end,
        reason=reason,
    )


def build_world() -> World:
    dpmptsp = office()
    dishub = AgencyFactory(code="DISHUB", name="Dinas Perhubungan")
    service = ServiceFactory(code="UJI-PANTAU", name="Izin Uji Pantau")
    service.technical_agencies.add(dishub)
    version = build_sop_version(service)
    steps = {s.no: s for s in version.steps.select_related("performer")}
    applicant = UserFactory(email="pemohon.pantau@contoh.id")

    def application(key, submitted, status, completed=None):
        app = Application.objects.create(
            tracking_number=f"PANTAU-{key}",
            service=service,
            sop_version=version,
            applicant=applicant,
            status=status,
            submitted_at=submitted,
            completed_at=completed,
        )
        _task(app, steps[1], None, submitted, submitted, office_time=timedelta(0))
        return app

    S = Application.Status
    a1 = application("A1", at(9, 1), S.COMPLETED, at(9, 7, 15))
    _task(a1, steps[2], dpmptsp, at(9, 1), at(9, 1, 8, 20), at(9, 1, 8, 30), 20 * M)
    _task(a1, steps[3], dishub, at(9, 1, 8, 20), at(9, 3, 10), at(9, 4, 16, 30), 14 * H)
    _task(a1, steps[4], dpmptsp, at(9, 3, 10), at(9, 7, 15), at(9, 4, 16, 30), 10 * H)
    ServiceClock.objects.create(
        application=a1, started_at=at(9, 1, 8, 20), due_at=at(9, 15, 16), decided_at=at(9, 7, 15)
    )

    a2 = application("A2", at(9, 8), S.COMPLETED, at(10, 9, 10))
    _task(a2, steps[2], dpmptsp, at(9, 8), at(9, 8, 9), at(9, 8, 8, 30), 60 * M)
    back = _task(a2, steps[1], None, at(9, 8, 9), at(9, 10, 9), None, timedelta(0), 15 * H, cycle=2)
    _pause(back, at(9, 8, 9), at(9, 10, 9), PauseReason.APPLICANT_CORRECTION)
    _task(a2, steps[2], dpmptsp, at(9, 10, 9), at(9, 10, 9, 15), at(9, 10, 9, 30), 15 * M, cycle=2)
    waited = _task(
        a2, steps[3], dishub, at(9, 10, 9, 15), at(9, 18, 10), at(9, 18, 12), 20 * H, 22.5 * H
    )
    _pause(waited, at(9, 11), at(9, 15), PauseReason.EXTERNAL_WAIT)
    _task(a2, steps[4], dpmptsp, at(9, 18, 10), at(10, 9, 10), at(9, 21, 16), 100 * H)
    ServiceClock.objects.create(
        application=a2,
        started_at=at(9, 10, 9, 15),
        due_at=at(9, 24, 16),
        decided_at=at(10, 9, 10),
    )

    a3 = application("A3", at(9, 14), S.IN_PROGRESS)
    _task(a3, steps[2], dpmptsp, at(9, 14), at(9, 14, 8, 10), at(9, 14, 8, 30), 10 * M)
    _task(a3, steps[3], dishub, at(9, 14, 8, 10), None, at(9, 17, 16))
    ServiceClock.objects.create(application=a3, started_at=at(9, 14, 8, 10), due_at=at(9, 28, 16))

    a4 = application("A4", at(9, 21), S.WITHDRAWN, at(9, 22))

    a5 = application("A5", at(7, 6), S.COMPLETED, at(7, 8, 10))
    _task(a5, steps[2], dpmptsp, at(7, 6), at(7, 6, 8, 20), at(7, 6, 8, 30), 20 * M)

    a6 = application("A6", at(8, 3), S.IN_PROGRESS)
    _task(a6, steps[2], dpmptsp, at(8, 3), None, at(8, 3, 8, 30))

    assert steps[1].performer.role == PerformerRole.APPLICANT
    return World(
        service=service,
        office=dpmptsp,
        dishub=dishub,
        apps={"A1": a1, "A2": a2, "A3": a3, "A4": a4, "A5": a5, "A6": a6},
        steps=steps,
    )
