"""Demo history for the dashboards: about 150 finished and 40 running applications over the
last eight months across a few demo services, bulk-created as consistent rows. Each file
follows its SOP's route as the engine reads it (``engine.exit_of``, *Ya* at decisions, a return
to the applicant now and then), deadlines come from the step norms through the working
calendar (``clocks.step_due``, ``calendar.shift`` for pauses) and office times are measured by
the calendar as ``clocks.measure`` does. Some steps run late, some wait outside (paused).
Statuses follow the state machines' tables (``permits.states.APPLICATION``,
``workflows.states.tasks.TASK``) step by step with ``place``, which refuses an undeclared move
and writes nothing, so the rows are still bulk-created (``./bin/start`` runs this).

Called by ``manage.py seed_demo``; running it again adds nothing."""

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from permits.models import Application, Service
from permits.states import APPLICATION
from workflows import calendar, clocks, engine
from workflows.models import (
    PauseReason,
    PerformerRole,
    ServiceClock,
    SopStep,
    StepAction,
    StepEvent,
    Symbol,
    Task,
)
from workflows.states.tasks import TASK

PREFIX = "RIWAYAT-"
FINISHED, RUNNING = 150, 40
SERVICES = 6
MONTHS = 8


def _applicants() -> list:
    User = get_user_model()
    users = []
    for i in range(1, 11):
        user, created = User.objects.get_or_create(
            email=f"riwayat{i}@demo.sopportal.invalid",
            defaults={"full_name": f"Pemohon Riwayat {i}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


class _Route:
    """The steps of one published SOP, read with the engine's own exit rule."""

    def __init__(self, service: Service):
        self.service = service
        self.version = service.published_sop
        steps = list(self.version.steps.select_related("performer__agency").order_by("no"))
        self.steps = {s.no: s for s in steps}
        self.first = steps[0]
        self.technical = list(service.technical_agencies.filter(is_active=True).order_by("code"))
        self._probe = Application(sop_version=self.version)
        self._probe._engine_steps = self.steps

    def after(self, step: SopStep, outcome: str) -> SopStep | None:
        return engine.exit_of(self._probe, step, outcome)

    def agencies(self, step: SopStep) -> list:
        if step.performer.role == PerformerRole.APPLICANT:
            return [None]
        if step.performer.for_technical:
            return self.technical[:2] or [None]
        return [step.performer.agency]


class _Builder:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng, self.now = rng, now
        self.cal = calendar.current()
        self.tasks: list[Task] = []
        self.events: list[StepEvent] = []
        self.clocks: list[ServiceClock] = []

    def office_instant(self, day_offset: int) -> datetime:
        """An office-hours instant about ``day_offset`` days ago (never in the future)."""
        hours = self.rng.randint(0, 6)
        while True:
            moment = self.cal.next_office_instant(
                self.now - timedelta(days=day_offset, hours=hours)
            )
            if moment <= self.now:
                return moment
            day_offset += 1

    def _event(self, app, task, kind, at, reason=""):
        self.events.append(StepEvent(application=app, task=task, kind=kind, at=at, reason=reason))

    def _take(self, step: SopStep, opened: datetime, due: datetime | None) -> timedelta:
        """How long a step takes: most within the norm, some late."""
        if due is None:
            return timedelta(minutes=self.rng.randint(5, 90))
        budget = self.cal.elapsed(opened, due)
        share = self.rng.choices([0.2, 0.5, 0.8, 1.1, 1.6], weights=[3, 4, 3, 2, 1])[0]
        return max(timedelta(minutes=5), budget * share)

    def run(self, app: Application, route: _Route, until: datetime) -> bool:
        """Add the tasks of ``app`` from its submission up to ``until``; False when it is
        still running then."""
        step, moment, cycle = route.first, app.submitted_at, {}
        returned = False
        service_clock = None
        while step is not None:
            cycle[step.no] = cycle.get(step.no, 0) + 1
            agencies = route.agencies(step)
            ends = []
            outcome = "yes" if step.symbol == Symbol.DECISION else "done"
            if (
                step.action == StepAction.CHECK
                and not returned
                and self.rng.random() < 0.15
                and route.after(step, "no") is not None
            ):
                outcome, returned = "no", True
            for agency in agencies:
                end = self._task(app, route, step, agency, moment, cycle[step.no], outcome, until)
                if end is None:
                    return False
                ends.append(end)
            moment = max(ends)
            if step.action == StepAction.CHECK and outcome == "yes" and service_clock is None:
                norm = route.service.service_time
                service_clock = ServiceClock(
                    application=app,
                    started_at=moment,
                    due_at=self.cal.due(moment, norm) if norm else None,
                )
                self.clocks.append(service_clock)
            if step.action == StepAction.DECIDE and service_clock is not None:
                service_clock.decided_at = moment
            step = route.after(step, outcome)
        if service_clock is not None and service_clock.decided_at is None:
            service_clock.decided_at = moment
        APPLICATION.place(app, Application.Status.COMPLETED)
        app.completed_at = moment
        return True

    def _task(self, app, route, step, agency, opened, cycle, outcome, until) -> datetime | None:
        applicant = step.performer.role == PerformerRole.APPLICANT
        first = step.no == route.first.no and cycle == 1
        due = clocks.step_due(step, opened)
        task = Task(
            application=app,
            step=step,
            agency=agency,
            role=step.performer.role,
            cycle=cycle,
            opened_at=opened,
            due_at=due,
        )
        self.tasks.append(task)
        self._event(app, task, StepEvent.Kind.STARTED, opened)
        if applicant and not first:
            APPLICATION.place(app, Application.Status.RETURNED)
        elif not applicant and app.status == Application.Status.SUBMITTED:
            APPLICATION.place(app, Application.Status.IN_PROGRESS)
        pauses = []
        if applicant and not first:
            # Returned for correction: the applicant's own time, the office clock stands still.
            took = timedelta(hours=self.rng.randint(3, 30))
            end = self.cal.add_office_time(opened, took)
            pauses.append((opened, end, PauseReason.APPLICANT_CORRECTION))
        elif first:
            end = opened
        else:
            took = self._take(step, opened, due)
            end = self.cal.add_office_time(opened, took)
            if due is not None and step.performer.for_technical and self.rng.random() < 0.2:
                start = self.cal.add_office_time(opened, took / 3)
                waited = timedelta(hours=self.rng.randint(4, 40))
                stop = self.cal.add_office_time(start, waited)
                pauses.append((start, stop, PauseReason.EXTERNAL_WAIT))
                task.due_at = self.cal.shift(due, waited)
                end = self.cal.add_office_time(end, waited)
        if end > until:
            # Still open (the task's state since it was built), the file where it stands.
            if pauses and pauses[0][1] > until:
                start, _stop, reason = pauses[0]
                task.paused_at, task.pause_reason = start, reason
                self._event(app, task, StepEvent.Kind.PAUSED, start, reason)
            return None
        for start, stop, reason in pauses:
            self._event(app, task, StepEvent.Kind.PAUSED, start, reason)
            self._event(app, task, StepEvent.Kind.RESUMED, stop, reason)
        intervals = [(a, b) for a, b, _r in pauses]
        TASK.place(task, Task.Status.DONE)
        task.outcome, task.completed_at = outcome, end
        if applicant and not first:
            APPLICATION.place(app, Application.Status.IN_PROGRESS)
        task.office_time = self.cal.elapsed(opened, end, intervals)
        task.paused_time = self.cal.elapsed(opened, end) - task.office_time
        self._event(app, task, StepEvent.Kind.ENDED, end)
        return end


def seed_history(stdout=None) -> int:
    """Create the demo history once; returns the number of applications created."""
    if Application.objects.filter(tracking_number__startswith=PREFIX).exists():
        if stdout:
            stdout.write("Demo history already present.\n")
        return 0
    services = [
        s
        for s in Service.objects.filter(is_active=True, sop__isnull=False)
        .with_published_sop()
        .order_by("code")
        if s.published_sop is not None
    ][:SERVICES]
    if not services:
        return 0
    routes = [_Route(s) for s in services]
    applicants = _applicants()
    rng = random.Random(2026)
    now = timezone.now()
    builder = _Builder(rng, now)
    apps = []
    plan = [(30 + rng.randint(0, 30 * MONTHS - 30), i) for i in range(FINISHED)] + [
        (rng.randint(0, 20), FINISHED + i) for i in range(RUNNING)
    ]
    for days_ago, i in plan:
        route = routes[i % len(routes)]
        submitted = builder.office_instant(days_ago)
        # A running file stops some office hours after its submission (never after now).
        until = now if i < FINISHED else min(now, submitted + timedelta(hours=rng.randint(1, 60)))
        app = Application(
            tracking_number=f"{PREFIX}{i + 1:05d}",
            service=route.service,
            sop_version=route.version,
            applicant=applicants[i % len(applicants)],
            submitted_at=submitted,
        )
        APPLICATION.place(app, Application.Status.SUBMITTED)
        builder.run(app, route, until)
        apps.append(app)
    with transaction.atomic():
        Application.objects.bulk_create(apps)
        for task in builder.tasks:
            task.application_id = task.application.pk
        Task.objects.bulk_create(builder.tasks)
        for event in builder.events:
            event.application_id, event.task_id = event.application.pk, event.task.pk
        StepEvent.objects.bulk_create(builder.events)
        for clock in builder.clocks:
            clock.application_id = clock.application.pk
        ServiceClock.objects.bulk_create(builder.clocks)
    if stdout:
        finished = sum(a.status == Application.Status.COMPLETED for a in apps)
        stdout.write(
            f"Demo history: {len(apps)} applications ({finished} finished), "
            f"{len(builder.tasks)} steps.\n"
        )
    return len(apps)
