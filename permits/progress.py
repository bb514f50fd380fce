"""An application's progress as people see it: the step timeline with each step's clock and
pauses, the steps still ahead, the service time, and the predicted completion — for the
applicant's page, the public tracking page and the lifecycle API. Every instant comes from
``workflows.clocks`` / ``workflows.calendar``; here the clocks are only read and labelled (no
deadline arithmetic of our own)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from workflows import actions, calendar, clocks, engine
from workflows.durations import Duration, TimeUnit
from workflows.models import PerformerRole, ServiceClock, StepEvent, Symbol, Task

from . import sop_steps
from .models import Application

# Clock states of a step as shown to the applicant: the four of a running clock
# (``clocks.ON_TIME`` … ``clocks.PAUSED``) and these.
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
ENDED = "done"  # ended, without a time norm to be late against
CANCELLED = "cancelled"
WAITING_FOR_APPLICANT = "waiting_applicant"
IN_PROGRESS = "in_progress"  # open, without a time norm
# States of the whole application's service time beyond those.
NOT_STARTED = "not_started"
STOPPED = "stopped"
DEEMED_APPROVED = "deemed_approved"

CLOCK_LABELS = {
    clocks.ON_TIME: gettext_lazy("On time"),
    clocks.DUE_SOON: gettext_lazy("Due soon"),
    clocks.OVERDUE: gettext_lazy("Overdue"),
    clocks.PAUSED: gettext_lazy("Paused"),
    DONE_ON_TIME: gettext_lazy("Done on time"),
    DONE_LATE: gettext_lazy("Done late"),
    ENDED: gettext_lazy("Done"),
    CANCELLED: gettext_lazy("Cancelled"),
    WAITING_FOR_APPLICANT: gettext_lazy("Waiting for the applicant"),
    IN_PROGRESS: gettext_lazy("In progress"),
}
SERVICE_TIME_LABELS = {
    clocks.ON_TIME: gettext_lazy("On time"),
    clocks.DUE_SOON: gettext_lazy("Due soon"),
    clocks.OVERDUE: gettext_lazy("Overdue"),
    clocks.PAUSED: gettext_lazy("Paused: waiting for the applicant"),
    DONE_ON_TIME: gettext_lazy("Decided on time"),
    DONE_LATE: gettext_lazy("Decided late"),
    DEEMED_APPROVED: gettext_lazy("Deemed approved"),
    NOT_STARTED: gettext_lazy("Not started yet"),
    STOPPED: gettext_lazy("Stopped"),
    IN_PROGRESS: gettext_lazy("No service time set"),
}


@dataclass(frozen=True)
class PauseView:
    """A time the step's clock stood still. ``by`` says who stopped it as a role and agency
    (never a person's name); it is empty on the public page and for the applicant's own wait."""

    reason: str
    reason_label: str
    started: datetime
    ended: datetime | None
    until: date | None
    agency: str
    by: str


@dataclass
class TimelineStep:
    """One step of the file as the applicant and the public see it: no names of people."""

    no: int
    activity: str
    performer: str
    agency: str
    cycle: int
    status: str
    status_label: str
    opened_at: datetime
    completed_at: datetime | None
    paused_at: datetime | None
    pause_reason: str
    paused_until: date | None
    due_at: datetime | None
    clock: str
    clock_label: str
    pauses: list[PauseView]

    @property
    def is_open(self) -> bool:
        return self.status == Task.Status.OPEN


@dataclass(frozen=True)
class UpcomingStep:
    """A step still ahead on the expected path (*Ya* at decisions), with its time norm."""

    no: int
    activity: str
    performer: str
    agency: str
    norm: Duration | None


@dataclass(frozen=True)
class ServiceTime:
    """The whole application's service time (the service standard, e.g. 10 working days),
    counted from the moment the file was declared complete; time spent waiting for the
    applicant is not counted (it pushes ``due_at``)."""

    status: str
    label: str
    norm: Duration | None
    started_at: datetime | None = None
    due_at: datetime | None = None
    decided_at: datetime | None = None
    working_days: int | None = None  # the norm in working days (day and week norms only)
    working_days_used: int | None = None
    percent_used: int | None = None
    waited: timedelta = timedelta(0)  # office time waiting for the applicant, not counted

    @property
    def waited_minutes(self) -> int:
        return int(self.waited.total_seconds() // 60)


@dataclass(frozen=True)
class Progress:
    steps: list[TimelineStep]
    upcoming: list[UpcomingStep]
    service_time: ServiceTime
    predicted_completion: datetime | None


def _tasks_with_clock_events(application: Application) -> list[Task]:
    # ``by`` is read by ``clocks.pauses_of`` (not shown here): joined so it costs no query.
    clock_events = (
        StepEvent.objects.filter(kind__in=(StepEvent.Kind.PAUSED, StepEvent.Kind.RESUMED))
        .select_related("by")
        .order_by("at", "id")
    )
    return list(
        Task.objects.filter(application=application)
        .select_related("agency", "step__performer")
        .prefetch_related(Prefetch("events", queryset=clock_events, to_attr="clock_events"))
        .order_by("opened_at", "id")
    )


def _step_clock(task: Task, now: datetime) -> tuple[str, datetime | None]:
    """The state shown for ``task``'s clock and its due date."""
    if task.role == PerformerRole.APPLICANT:
        # The applicant's own step has no deadline: the office's clocks wait for it.
        return (WAITING_FOR_APPLICANT if task.is_open else ENDED), None
    if task.status == Task.Status.CANCELLED:
        return CANCELLED, task.due_at
    state = clocks.state(task, now, task.clock_events)
    if state.status == clocks.DONE:
        if task.due_at is None or task.completed_at is None:
            return ENDED, task.due_at
        return (DONE_LATE if task.completed_at > task.due_at else DONE_ON_TIME), task.due_at
    if state.status == clocks.NO_NORM:
        return IN_PROGRESS, None
    return state.status, state.due_at


def _pauses(task: Task, public: bool) -> list[PauseView]:
    agency = task.agency.name if task.agency else ""
    own_wait = task.role == PerformerRole.APPLICANT
    by = "" if public or own_wait else ", ".join(filter(None, [task.step.performer.title, agency]))
    return [
        PauseView(p.reason, p.reason_label, p.started, p.ended, p.until, agency, by)
        for p in clocks.pauses_of(task, task.clock_events)
    ]


def _timeline_step(task: Task, now: datetime, public: bool) -> TimelineStep:
    clock, due_at = _step_clock(task, now)
    return TimelineStep(
        no=task.step.no,
        activity=task.step.activity,
        performer=task.step.performer.title,
        agency=task.agency.name if task.agency else "",
        cycle=task.cycle,
        status=task.status,
        status_label=task.get_status_display(),
        opened_at=task.opened_at,
        completed_at=task.completed_at,
        paused_at=task.paused_at,
        pause_reason=task.get_pause_reason_display() if task.pause_reason else "",
        paused_until=task.paused_until,
        due_at=due_at,
        clock=clock,
        clock_label=str(CLOCK_LABELS[clock]),
        pauses=_pauses(task, public),
    )


def upcoming_steps(application: Application, tasks: list[Task]) -> list[UpcomingStep]:
    """The steps after the open one(s) on the path ``clocks.predicted_completion`` counts
    (*Ya* at decisions, until the SOP ends or loops back)."""
    open_tasks = [t for t in tasks if t.is_open]
    if not open_tasks:
        return []
    step, seen, out = open_tasks[0].step, {t.step_id for t in open_tasks}, []
    while True:
        outcome = actions.YES if step.symbol == Symbol.DECISION else actions.DONE
        step = engine.exit_of(application, step, outcome)
        if step is None or step.pk in seen:
            return out
        seen.add(step.pk)
        if step.performer.role == PerformerRole.APPLICANT:
            continue
        agency = step.performer.agency
        out.append(
            UpcomingStep(
                step.no,
                step.activity,
                step.performer.title,
                agency.name if agency else "",
                step.duration,
            )
        )


def _working_days(cal: calendar.WorkingCalendar, after: date, upto: date) -> int:
    """How many working days lie in (``after``, ``upto``]: the calendar says which days work."""
    count, day = 0, after
    while day < upto:
        day += timedelta(days=1)
        count += cal.is_working_day(day)
    return count


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment, calendar.ZONE).date()


def service_time(application: Application, tasks: list[Task], now: datetime) -> ServiceTime:
    """The application's service clock read at ``now`` (``tasks``: all its tasks)."""
    norm = application.service.service_time
    if Application.service_clock.is_cached(application):
        # Joined by the caller (``select_related("service_clock")``): no query of its own.
        clock = getattr(application, "service_clock", None)
    else:
        clock = ServiceClock.objects.filter(application=application).first()
    if clock is None:
        return ServiceTime(NOT_STARTED, str(SERVICE_TIME_LABELS[NOT_STARTED]), norm)
    waits = [
        (max(t.opened_at, clock.started_at), t.completed_at)
        for t in tasks
        if t.role == PerformerRole.APPLICANT
        and (t.completed_at is None or t.completed_at > clock.started_at)
    ]
    waiting_since = next((a for a, b in waits if b is None), None)
    stopped = application.status not in Application.ACTIVE_STATES and not clock.decided_at
    if clock.decided_at:
        end = clock.decided_at
    elif stopped:
        ends = [t.completed_at for t in tasks if t.completed_at]
        end = application.completed_at or max(ends, default=now)
    else:
        # While the file waits for the applicant the office's clock stands at the wait's start.
        end = waiting_since or now
    cal = calendar.current()
    closed_waits = [(a, b) for a, b in waits if b is not None and b <= end]
    waited_until = clock.decided_at or (end if stopped else now)
    waited = cal.elapsed(clock.started_at, waited_until) - cal.elapsed(
        clock.started_at, waited_until, waits
    )
    base = {
        "norm": norm,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "decided_at": clock.decided_at,
        "waited": waited,
    }
    if clock.due_at is None:
        return ServiceTime(IN_PROGRESS, str(SERVICE_TIME_LABELS[IN_PROGRESS]), **base)
    used = cal.elapsed(clock.started_at, end, closed_waits)
    left = cal.elapsed(end, clock.due_at)
    percent = int(100 * used / (used + left)) if used + left else 100
    if norm is not None and norm.unit in (TimeUnit.DAYS, TimeUnit.WEEKS):
        days = norm.value * (calendar.WEEK_DAYS if norm.unit == TimeUnit.WEEKS else 1)
        end_day, due_day = _local_date(end), _local_date(clock.due_at)
        if end_day <= due_day:
            days_used = max(0, days - _working_days(cal, end_day, due_day))
        else:
            days_used = days + _working_days(cal, due_day, end_day)
        base.update(working_days=days, working_days_used=days_used)
    if clock.deemed_approved_at:
        status = DEEMED_APPROVED
    elif clock.decided_at:
        status = DONE_LATE if clock.decided_at > clock.due_at else DONE_ON_TIME
    elif stopped:
        status = STOPPED
    elif waiting_since is not None:
        status = clocks.PAUSED
    elif end > clock.due_at:
        status = clocks.OVERDUE
    elif percent >= min(clocks.thresholds(), default=100):
        status = clocks.DUE_SOON
    else:
        status = clocks.ON_TIME
    return ServiceTime(
        status, str(SERVICE_TIME_LABELS[status]), percent_used=min(percent, 100), **base
    )


def progress(
    application: Application, *, public: bool = False, now: datetime | None = None
) -> Progress:
    """The application's steps in order with their clocks (due date, state, pauses), its
    service time and its predicted completion, in a fixed number of queries whatever the
    number of steps. ``public``: for the tracking page, pauses say the agency and the reason
    only."""
    now = now or timezone.now()
    tasks = _tasks_with_clock_events(application)
    sop_steps.attach(application)
    predicted = None
    open_tasks = [t for t in tasks if t.is_open]
    if open_tasks:
        predicted = clocks.predicted_completion(application, now, open_tasks)
    return Progress(
        steps=[_timeline_step(task, now, public) for task in tasks],
        upcoming=upcoming_steps(application, tasks),
        service_time=service_time(application, tasks, now),
        predicted_completion=predicted,
    )


def timeline(application: Application, *, public: bool = False) -> list[TimelineStep]:
    """The application's steps in order: which agency holds or held each, since when, its due
    date and clock, and the pauses with their reasons."""
    return progress(application, public=public).steps
