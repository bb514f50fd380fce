"""The clocks of running steps: a task's deadline from its step's time norm, its warning marks,
the pauses that push them, its state (on time, due soon, overdue, paused) and the recomputation
of running clocks when the calendar changes. All date arithmetic is the calendar's."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import actions, calendar
from .durations import Duration, TimeUnit
from .models import (
    ClockWarning,
    PerformerRole,
    ServiceClock,
    SopStep,
    StepAction,
    StepEvent,
    Task,
)

WARNING_KINDS = (ClockWarning.Kind.DUE_SOON_1, ClockWarning.Kind.DUE_SOON_2)


def thresholds() -> tuple[int, ...]:
    """Percentages of a step's time at which "due soon" warnings go out (at most two)."""
    return tuple(settings.CLOCK_WARNING_THRESHOLDS)[:2]


def step_due(step: SopStep, start: datetime) -> datetime | None:
    """When a task of ``step`` opened at ``start`` falls due (None: no norm, or the
    applicant's own step, whose time never counts against the office)."""
    duration = step.duration
    if duration is None or step.performer.role == PerformerRole.APPLICANT:
        return None
    return calendar.current().due(start, duration)


def _marks(task: Task, cal: calendar.WorkingCalendar) -> list[ClockWarning]:
    budget = cal.elapsed(task.opened_at, task.due_at)
    marks = [
        ClockWarning(task=task, kind=kind, at=cal.add_office_time(task.opened_at, budget * p / 100))
        for kind, p in zip(WARNING_KINDS, thresholds(), strict=False)
    ]
    marks.append(ClockWarning(task=task, kind=ClockWarning.Kind.OVERDUE, at=task.due_at))
    return marks


def opened(task: Task) -> None:
    """A task just opened with its ``due_at``: schedule its warnings (engine hook)."""
    if task.due_at is None:
        return
    ClockWarning.objects.bulk_create(_marks(task, calendar.current()), ignore_conflicts=True)


def resumed(task: Task, paused_at: datetime, now: datetime) -> None:
    """The clock of ``task`` ran again after standing still since ``paused_at``: push its
    deadline and its unsent warnings by the office time that passed (engine hook; the caller
    saves the task)."""
    if task.due_at is None:
        return
    cal = calendar.current()
    paused = cal.elapsed(paused_at, now)
    if paused <= timedelta(0):
        return
    task.due_at = cal.shift(task.due_at, paused)
    for mark in ClockWarning.objects.filter(task=task, sent_at__isnull=True):
        mark.at = cal.shift(mark.at, paused)
        mark.save(update_fields=["at"])


# --- reading a clock ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    started: datetime
    ended: datetime | None
    reason: str
    reason_label: str
    until: object
    by: object
    note: str


@dataclass(frozen=True)
class ClockState:
    """What a task's clock shows at ``now``."""

    status: str  # one of STATES
    due_at: datetime | None
    used: timedelta
    budget: timedelta | None
    pauses: tuple[Pause, ...]

    @property
    def percent_used(self) -> int | None:
        if not self.budget:
            return None
        return int(100 * self.used / self.budget)

    @property
    def remaining(self) -> timedelta | None:
        if self.budget is None:
            return None
        return self.budget - self.used


ON_TIME, DUE_SOON, OVERDUE, PAUSED, DONE, NO_NORM = (
    "on_time",
    "due_soon",
    "overdue",
    "paused",
    "done",
    "no_norm",
)
STATE_LABELS = {
    ON_TIME: _("On time"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
    PAUSED: _("Paused"),
    DONE: _("Done"),
    NO_NORM: _("No time norm"),
}


def pauses_of(task: Task, events: list[StepEvent] | None = None) -> tuple[Pause, ...]:
    """The task's pauses, paired from its ``paused``/``resumed`` events."""
    if events is None:
        prefetched = getattr(task, "_prefetched_objects_cache", {})
        events = list(
            task.events.all() if "events" in prefetched else task.events.select_related("by")
        )
    out, current = [], None
    for event in events:
        if event.kind == StepEvent.Kind.PAUSED:
            current = event
        elif event.kind == StepEvent.Kind.RESUMED and current is not None:
            out.append(_pause(current, event.at))
            current = None
    if current is not None:
        out.append(_pause(current, None))
    return tuple(out)


def _pause(event: StepEvent, ended: datetime | None) -> Pause:
    from .models import PauseReason

    label = PauseReason(event.reason).label if event.reason else ""
    return Pause(event.at, ended, event.reason, str(label), event.until, event.by, event.note)


def state(task: Task, now: datetime | None = None, events=None) -> ClockState:
    """The clock of ``task`` at ``now``: office time used (pauses left out) against the
    office time its deadline allows."""
    now = now or timezone.now()
    pauses = pauses_of(task, events)
    if task.due_at is None:
        status = DONE if task.status != Task.Status.OPEN else NO_NORM
        return ClockState(status, None, timedelta(0), None, pauses)
    cal = calendar.current()
    intervals = [(p.started, p.ended) for p in pauses]
    end = task.completed_at if task.completed_at else now
    used = cal.elapsed(task.opened_at, end, intervals)
    budget = cal.elapsed(task.opened_at, task.due_at, intervals)
    if task.status != Task.Status.OPEN:
        status = DONE
    elif task.paused_at:
        status = PAUSED
    elif end > task.due_at:
        status = OVERDUE
    elif budget and 100 * used / budget >= min(thresholds(), default=100):
        status = DUE_SOON
    else:
        status = ON_TIME
    return ClockState(status, task.due_at, used, budget, pauses)


def measure(task: Task, now: datetime) -> None:
    """Set the office time ``task`` took (pauses left out) and the office time it spent paused,
    as it ends at ``now``; the caller saves the task."""
    cal = calendar.current()
    intervals = [(p.started, p.ended or now) for p in pauses_of(task)]
    task.office_time = cal.elapsed(task.opened_at, now, intervals)
    task.paused_time = cal.elapsed(task.opened_at, now) - task.office_time


# --- the calendar changed ------------------------------------------------------------------------


def recompute_running(old: calendar.WorkingCalendar, new: calendar.WorkingCalendar, now=None):
    """Carry the deadlines of open tasks over to a changed calendar from ``now`` on: what
    remained (working days for day norms, office time for the others) is counted again in
    the new calendar. Deadlines already passed and finished tasks keep their history."""
    now = now or timezone.now()
    tasks = Task.objects.open().filter(due_at__gt=now).select_related("step")
    with transaction.atomic():
        for task in tasks.select_for_update(of=("self",)):
            new_due = carry_over(old, new, task.step.duration, task.due_at, now)
            if new_due == task.due_at:
                continue
            delta_marks = ClockWarning.objects.filter(task=task, sent_at__isnull=True)
            for mark in delta_marks:
                if mark.kind == ClockWarning.Kind.OVERDUE:
                    mark.at = new_due
                elif mark.at > now:
                    mark.at = new.add_office_time(now, old.elapsed(now, mark.at))
                mark.save(update_fields=["at"])
            task.due_at = new_due
            task.save(update_fields=["due_at"])


def carry_over(old, new, duration: Duration | None, due_at: datetime, now: datetime) -> datetime:
    """``due_at`` (in ``old``) recounted in ``new`` from ``now``."""
    if duration is not None and duration.unit in (TimeUnit.DAYS, TimeUnit.WEEKS):
        today = calendar._local(now).date()
        last = calendar._local(due_at).date()
        left = 0
        day = today
        while day < last:
            day += timedelta(days=1)
            left += old.is_working_day(day)
        if left == 0:
            return due_at
        return new.due(now, Duration(left, TimeUnit.DAYS))
    return new.add_office_time(now, old.elapsed(now, due_at))


# --- the whole application ---------------------------------------------------------------------


def predicted_completion(
    application, now: datetime | None = None, open_tasks: list | None = None
) -> datetime | None:
    """When the application should be done if every step takes its norm from here: the
    latest deadline of its open steps, then the norms of the steps that follow on the
    expected path (``Ya`` at decisions; applicant steps add nothing). None when nothing is
    open. ``open_tasks``: the application's open tasks with their steps, in the tasks' order,
    when the caller has read them already (else they are read here)."""
    from .engine import exit_of
    from .models import Symbol

    now = now or timezone.now()
    if open_tasks is None:
        open_tasks = list(
            Task.objects.open().filter(application=application).select_related("step")
        )
    if not open_tasks:
        return None
    cal = calendar.current()
    # An overdue step ends no earlier than now: the prediction never lies in the past.
    moment = max([now, *(t.due_at for t in open_tasks if t.due_at)])
    step, seen = open_tasks[0].step, set()
    while step is not None and step.pk not in seen:
        seen.add(step.pk)
        step = exit_of(application, step, "yes" if step.symbol == Symbol.DECISION else "done")
        if step is not None and step.duration and step.performer.role != PerformerRole.APPLICANT:
            moment = cal.due(moment, step.duration)
    return moment


def step_completed(application, step: SopStep, outcome: str, now: datetime) -> None:
    """Engine hook: the check step's *Ya* starts the service clock (once), the decision
    stops it."""
    if step.action == StepAction.CHECK and outcome == "yes":
        if ServiceClock.objects.filter(application=application).exists():
            return
        norm = actions.provider("service_time")(application)
        due = calendar.current().due(now, norm) if norm else None
        ServiceClock.objects.create(application=application, started_at=now, due_at=due)
    elif step.action == StepAction.DECIDE:
        ServiceClock.objects.filter(application=application, decided_at__isnull=True).update(
            decided_at=now
        )


def applicant_answered(application, waited_since: datetime, now: datetime) -> None:
    """Engine hook: the applicant answered a return; the office time they took pushes the
    running service clock (applicant time never counts against the office)."""
    service = (
        ServiceClock.objects.select_for_update()
        .filter(application=application, decided_at__isnull=True, due_at__isnull=False)
        .first()
    )
    if service is None:
        return
    cal = calendar.current()
    service.due_at = cal.shift(
        service.due_at, cal.elapsed(max(waited_since, service.started_at), now)
    )
    service.save(update_fields=["due_at"])
