"""The engine: turns the steps of an application's pinned SOP version into tasks and moves them
(``next`` / ``on_yes`` / ``on_no``, joins of parallel tasks, returns to the applicant), through
one transition function per change.

Each public transition checks the actor and the state, locks the application then the task
(always in that order, so two transitions on one application queue up instead of deadlocking),
re-reads, writes, records one audit entry on the application and lets listeners schedule
notifications on commit. ``start`` runs inside a caller's transition (``permits.lifecycle``
submits), which writes that transition's audit entry.

Every task's status goes through its machine (``workflows.states.tasks.TASK``); the move that
ends a task is the transition's principal one and writes its one entry, made last so that it
records where the file went. The engine knows the application only by its ``sop_version`` and
``applicant``, and reads its ``status`` for that entry; it never writes it: the events it emits
(``step_opened``, ``application_resumed``, ``application_finished``…) are how permits' listeners
move the application with permits' own machine.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import is_administrator
from agencies.models import Agency, Membership, Role
from sop_portal import audit
from sop_portal.formatting import format_moment

from . import actions, clocks
from .actions import DONE, NO, YES
from .models import PauseReason, PerformerRole, SopStep, StepEvent, Symbol, Task
from .states.tasks import TASK


class EngineError(Exception):
    """A refused transition; ``message`` is shown to the person who tried it."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


class NotAllowed(EngineError):
    """The actor has no right to do this."""


class InvalidState(EngineError):
    """The application or task is not in a state where this can happen."""


class InvalidOutcome(EngineError):
    """The outcome or the data given do not fit the step."""


class TaskAlreadyDone(InvalidState):
    """Someone else completed the task first."""

    def __init__(self, task: Task):
        who = task.completed_by or _("someone else")
        when = format_moment(task.completed_at)
        super().__init__(
            _("This task was already completed by %(who)s at %(when)s.")
            % {"who": who, "when": when}
        )


@dataclass(frozen=True)
class Exit:
    """Where a completed step leads: another step, or the end of the SOP."""

    step: SopStep | None


# --- reading the SOP ------------------------------------------------------------------------


def _steps(application) -> dict[int, SopStep]:
    cache = getattr(application, "_engine_steps", None)
    if cache is None:
        steps = application.sop_version.steps.select_related("performer__agency")
        cache = {s.no: s for s in steps}
        application._engine_steps = cache
    return cache


def exit_of(application, step: SopStep, outcome: str) -> SopStep | None:
    """The step that follows ``step`` given ``outcome`` (None: the SOP ends here). A process
    or the first terminator without ``next`` goes to the following step; a later terminator
    without ``next`` ends the SOP."""
    steps = _steps(application)
    if step.symbol == Symbol.DECISION:
        target = step.yes_no if outcome == YES else step.no_no
    elif step.next_no:
        target = step.next_no
    elif step.symbol == Symbol.TERMINATOR and step.no != min(steps):
        return None
    else:
        target = step.no + 1
    return steps.get(target)


def _is_applicant_step(step: SopStep) -> bool:
    return step.performer.role == PerformerRole.APPLICANT


# --- rights ------------------------------------------------------------------------------------


def holds(user, agency_id: int | None, role: str) -> bool:
    """Whether ``user`` has an active membership with ``role`` in the agency."""
    if user is None or not user.is_authenticated or not user.is_active or agency_id is None:
        return False
    return Membership.objects.filter(
        user=user, agency_id=agency_id, role=role, is_active=True, agency__is_active=True
    ).exists()


def may_perform(task: Task, user) -> bool:
    """The performer of the task's step: its role in its agency (the applicant for an
    applicant step)."""
    if task.role == PerformerRole.APPLICANT:
        return (
            user is not None and user.is_authenticated and user.pk == task.application.applicant_id
        )
    return holds(user, task.agency_id, task.role)


def _check_performer(task: Task, by) -> None:
    if not may_perform(task, by):
        raise NotAllowed(_("You are not a performer of this step."))
    if task.assignee_id and task.assignee_id != by.pk:
        raise NotAllowed(
            _("This task is claimed by %(who)s; ask them to release it.") % {"who": task.assignee}
        )


# --- locking -------------------------------------------------------------------------------


def _lock(task: Task) -> tuple[Any, Task]:
    """Lock the application, then the task, and return fresh copies of both."""
    application = type(task.application).objects.select_for_update().get(pk=task.application_id)
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("step__performer", "agency", "assignee", "completed_by")
        .get(pk=task.pk)
    )
    locked.application = application
    return application, locked


def _lock_application(application):
    return type(application).objects.select_for_update().get(pk=application.pk)


def _require_open(task: Task) -> None:
    if task.status == Task.Status.DONE:
        raise TaskAlreadyDone(task)
    if task.status != Task.Status.OPEN:
        raise InvalidState(_("This task was cancelled."))


def _event(task: Task, kind: str, by=None, *, at=None, reason: str = "", until=None, note=""):
    return StepEvent.objects.create(
        application_id=task.application_id,
        task=task,
        kind=kind,
        reason=reason,
        until=until,
        note=note,
        at=at or timezone.now(),
        by=by if by is not None and by.is_authenticated else None,
    )


def _task_ref(task: Task) -> dict[str, Any]:
    return {
        "task": task.pk,
        "step": task.step.no,
        "cycle": task.cycle,
        "agency": task.agency.code if task.agency_id else None,
    }


# --- opening steps ---------------------------------------------------------------------------


def _next_cycle(application, step: SopStep) -> int:
    last = (
        Task.objects.filter(application=application, step=step)
        .aggregate(m=models.Max("cycle"))
        .get("m")
    )
    return (last or 0) + 1


def _performing_agencies(application, step: SopStep) -> list[Agency | None]:
    # A step of several performers (``also_performers``: the applicant at the counter with the
    # officer) is drawn across their columns, but its task goes to its main performer, the
    # first listed: one task, one person answerable for it, as for any other step.
    performer = step.performer
    if performer.role == PerformerRole.APPLICANT:
        return [None]
    if performer.for_technical:
        agencies = list(actions.provider("technical_agencies")(application))
        if not agencies:
            raise InvalidState(
                _("Step %(no)s goes to the service's technical agencies, but it has none.")
                % {"no": step.no}
            )
        return agencies
    return [performer.agency]


def open_step(application, step: SopStep, cycle: int | None = None, *, by=None) -> list[Task]:
    """Open the task(s) of ``step``: one per technical agency of the service for a
    ``*technical*`` performer (in parallel), else one. An applicant step returns the file to
    the applicant: its clock pauses (and permits, hearing ``step_opened``, marks the
    application returned)."""
    cycle = cycle or _next_cycle(application, step)
    now = timezone.now()
    applicant_step = _is_applicant_step(step)
    tasks = []
    for agency in _performing_agencies(application, step):
        task = Task.objects.create(
            application=application,
            step=step,
            agency=agency,
            role=step.performer.role,
            assignee_id=application.applicant_id if applicant_step else None,
            cycle=cycle,
            opened_at=now,
            due_at=clocks.step_due(step, now),
        )
        task.application = application
        clocks.opened(task)
        _event(task, StepEvent.Kind.STARTED, by, at=now)
        if applicant_step:
            task.paused_at, task.pause_reason = now, PauseReason.APPLICANT_CORRECTION
            task.save(update_fields=["paused_at", "pause_reason"])
            _event(task, StepEvent.Kind.PAUSED, by, at=now, reason=PauseReason.APPLICANT_CORRECTION)
        actions.handler_for(step.action).on_open(task)
        tasks.append(task)
    actions.emit("step_opened", application=application, step=step, tasks=tasks, by=by)
    return tasks


def start(application, by) -> list[Task]:
    """Run a just-submitted application from its SOP's first step (inside the caller's
    transition): the applicant's submit step is recorded as done by them, and the next
    step's task(s) open."""
    steps = _steps(application)
    first = steps[min(steps)]
    if not _is_applicant_step(first):
        return open_step(application, first, 1, by=by)
    now = timezone.now()
    task = Task.objects.create(
        application=application,
        step=first,
        role=first.performer.role,
        assignee_id=application.applicant_id,
        cycle=1,
        opened_at=now,
    )
    task.application = application
    # Opened and done at once: part of the submit transition, whose entry records it.
    TASK.move(
        task,
        Task.Status.DONE,
        by=by,
        locked=True,
        record=False,
        fields={"outcome": DONE, "completed_at": now, "completed_by": by},
    )
    _event(task, StepEvent.Kind.STARTED, by, at=now)
    _event(task, StepEvent.Kind.ENDED, by, at=now)
    return _advance(application, task, DONE, by)


def _advance(application, task: Task, outcome: str, by) -> list[Task]:
    """Move on from ``task`` (done with ``outcome``; its own move may come after this) once
    all its parallel siblings are done."""
    siblings = Task.objects.filter(
        application=application, step=task.step, cycle=task.cycle
    ).exclude(pk=task.pk)
    if siblings.filter(status=Task.Status.OPEN).exists():
        return []
    if task.step.symbol == Symbol.DECISION:
        # Parallel decisions (one per technical agency) go "yes" only if every agency said so.
        outcomes = set(siblings.filter(status=Task.Status.DONE).values_list("outcome", flat=True))
        outcomes.add(outcome)
        outcome = NO if NO in outcomes else YES
    target = exit_of(application, task.step, outcome)
    if target is None:
        actions.emit("application_finished", application=application, task=task, by=by)
        return []
    if _is_applicant_step(target):
        documents = getattr(task, "_returned_documents", {}) or {}
        tasks = open_step(application, target, by=by)
        actions.emit(
            "application_returned",
            application=application,
            task=task,
            reason=task.notes,
            documents=documents,
            by=by,
        )
        return tasks
    return open_step(application, target, by=by)


# --- transitions -----------------------------------------------------------------------------


def claim(task: Task, by) -> Task:
    """Take an open task so that colleagues see who is on it."""
    with transaction.atomic():
        application, task = _lock(task)
        _require_open(task)
        if task.role == PerformerRole.APPLICANT or not may_perform(task, by):
            raise NotAllowed(_("You are not a performer of this step."))
        if task.assignee_id:
            if task.assignee_id == by.pk:
                return task
            raise InvalidState(
                _("This task is already claimed by %(who)s.") % {"who": task.assignee}
            )
        task.assignee, task.claimed_at = by, timezone.now()
        task.save(update_fields=["assignee", "claimed_at"])
        audit.record(
            "workflows.task.claimed",
            application,
            actor=by,
            before={**_task_ref(task), "assignee": None},
            after={**_task_ref(task), "assignee": by.pk},
        )
    return task


def release(task: Task, by) -> Task:
    """Give a claimed task back to the agency's queue (its holder, or the agency's head)."""
    with transaction.atomic():
        application, task = _lock(task)
        _require_open(task)
        if not task.assignee_id or task.role == PerformerRole.APPLICANT:
            raise InvalidState(_("This task is not claimed."))
        if task.assignee_id != by.pk and not _manages(by, task):
            raise NotAllowed(_("Only the person holding the task or the head may release it."))
        before = task.assignee_id
        task.assignee, task.claimed_at = None, None
        task.save(update_fields=["assignee", "claimed_at"])
        audit.record(
            "workflows.task.released",
            application,
            actor=by,
            before={**_task_ref(task), "assignee": before},
            after={**_task_ref(task), "assignee": None},
        )
    return task


def _manages(user, task: Task) -> bool:
    return is_administrator(user) or holds(user, task.agency_id, Role.HEAD)


def reassign(task: Task, by, to_user, reason: str = "") -> Task:
    """Hand an open task to a colleague who holds the step's role in the same agency."""
    with transaction.atomic():
        application, task = _lock(task)
        _require_open(task)
        if task.role == PerformerRole.APPLICANT:
            raise InvalidState(_("A step of the applicant cannot be reassigned."))
        if not (task.assignee_id == by.pk or may_perform(task, by) or _manages(by, task)):
            raise NotAllowed(_("You may not reassign this task."))
        if not holds(to_user, task.agency_id, task.role):
            raise NotAllowed(
                _("%(who)s does not hold this step's role in %(agency)s.")
                % {"who": to_user, "agency": task.agency}
            )
        before = task.assignee_id
        task.assignee, task.claimed_at = to_user, timezone.now()
        task.save(update_fields=["assignee", "claimed_at"])
        audit.record(
            "workflows.task.reassigned",
            application,
            actor=by,
            before={**_task_ref(task), "assignee": before},
            after={**_task_ref(task), "assignee": to_user.pk},
            reason=reason,
        )
        actions.emit("task_reassigned", task=task, by=by, to_user=to_user)
    return task


def complete(
    task: Task, by, outcome: str | None = None, notes: str = "", data: dict | None = None
) -> list[Task]:
    """Complete an open task as its performer and move the application on. ``outcome`` is
    ``yes``/``no`` for a decision (a handler may work it out from ``data``); returns the tasks
    opened next (none while parallel siblings are still open, or at the end)."""
    with transaction.atomic():
        application, task = _lock(task)
        _require_open(task)
        if task.role == PerformerRole.APPLICANT:
            raise InvalidState(_("The applicant answers through resubmitting the application."))
        _check_performer(task, by)
        return _complete_locked(application, task, by, outcome, notes, data or {})


def _complete_locked(
    application, task, by, outcome, notes, data, action="workflows.task.completed"
):
    before_status = application.status
    step = task.step
    outcome = actions.handler_for(step.action).complete(task, by, outcome, data)
    if step.symbol == Symbol.DECISION:
        if outcome not in (YES, NO):
            raise InvalidOutcome(_("Answer this decision with Yes or No."))
    elif outcome not in (None, "", DONE):
        raise InvalidOutcome(_("This step is not a decision; it has no Yes/No outcome."))
    else:
        outcome = DONE
    now = timezone.now()
    _unpause(task, by, now)
    task.outcome, task.notes = outcome, notes
    task.completed_at, task.completed_by = now, by
    clocks.measure(task, now)
    task.save()
    _event(task, StepEvent.Kind.ENDED, by, at=now, note=notes)
    clocks.step_completed(application, step, outcome, now)
    task._returned_documents = data.get("documents") if isinstance(data, dict) else None
    opened = _advance(application, task, outcome, by)
    application.refresh_from_db(fields=["status"])
    # The task's move is the transition's one entry; "status" there is the application's.
    TASK.move(
        task,
        Task.Status.DONE,
        by=by,
        locked=True,
        action=action,
        before={**_task_ref(task), "status": before_status},
        after={
            **_task_ref(task),
            "outcome": outcome,
            "status": application.status,
            "opened": [_task_ref(t) for t in opened],
        },
        reason=notes,
    )
    return opened


def return_to_applicant(
    task: Task, by, reason: str, documents: dict[str, str] | list[str] | None = None
) -> list[Task]:
    """Return the file to the applicant from a decision whose *Tidak* exit leads back to an
    applicant step, naming the documents to replace (codes, or codes -> reason)."""
    if not (reason or "").strip():
        raise InvalidOutcome(_("Say why the file goes back to the applicant."))
    step = task.step
    target = exit_of(task.application, step, NO) if step.symbol == Symbol.DECISION else None
    if target is None or not _is_applicant_step(target):
        raise InvalidState(_("This step has no way back to the applicant in its SOP."))
    if isinstance(documents, list | tuple):
        documents = dict.fromkeys(documents, reason)
    with transaction.atomic():
        application, task = _lock(task)
        _require_open(task)
        _check_performer(task, by)
        return _complete_locked(
            application,
            task,
            by,
            NO,
            reason,
            {"documents": dict(documents or {}), "reason": reason},
            action="workflows.application.returned",
        )


def resume_locked(
    application,
    by,
    note: str = "",
    *,
    action: str = "workflows.application.resumed",
    after: dict[str, Any] | None = None,
) -> list[Task]:
    """The applicant answers a return (inside the caller's locked transition): their open step
    ends, the clock resumes and the SOP goes on from that step. The applicant task's move
    writes the transition's one entry (``action``, with ``after`` added)."""
    before_status = application.status
    if by is None or by.pk != application.applicant_id:
        raise NotAllowed(_("Only the applicant can resubmit the application."))
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("step__performer")
        .filter(application=application, status=Task.Status.OPEN, role=PerformerRole.APPLICANT)
        .first()
    )
    if task is None:
        raise InvalidState(_("The application is not waiting for the applicant."))
    task.application = application
    actions.handler_for(task.step.action).complete(task, by, None, {"note": note})
    now = timezone.now()
    _event(task, StepEvent.Kind.RESUMED, by, at=now, reason=PauseReason.APPLICANT_CORRECTION)
    clocks.applicant_answered(application, task.opened_at, now)
    task.paused_at, task.pause_reason = None, ""
    task.outcome, task.notes = DONE, note
    task.completed_at, task.completed_by = now, by
    clocks.measure(task, now)
    task.save()
    _event(task, StepEvent.Kind.ENDED, by, at=now, note=note)
    actions.emit("application_resumed", application=application, by=by)
    opened = _advance(application, task, DONE, by)
    TASK.move(
        task,
        Task.Status.DONE,
        by=by,
        locked=True,
        action=action,
        before={"status": before_status},
        after={
            "status": application.status,
            **(after or {}),
            "opened": [_task_ref(t) for t in opened],
        },
        reason=note,
    )
    return opened


def resume(application, by, note: str = "") -> list[Task]:
    """The applicant resubmits a returned application (no documents to replace)."""
    with transaction.atomic():
        application = _lock_application(application)
        return resume_locked(application, by, note)


def pause_locked(task: Task, by, reason: str, until: date | None = None, note: str = "") -> None:
    """Stop the clock of an open task (inside the caller's locked transition), e.g. until a
    field visit."""
    if task.paused_at:
        raise InvalidState(_("This task is already waiting."))
    now = timezone.now()
    task.paused_at, task.pause_reason, task.paused_until = now, reason, until
    task.save(update_fields=["paused_at", "pause_reason", "paused_until"])
    _event(task, StepEvent.Kind.PAUSED, by, at=now, reason=reason, until=until, note=note)


def _unpause(task: Task, by, now) -> None:
    """End the task's pause, if any: the clock runs again and its deadline moves by the office
    time it stood still (the caller saves the task)."""
    if not task.paused_at:
        return
    _event(task, StepEvent.Kind.RESUMED, by, at=now, reason=task.pause_reason)
    clocks.resumed(task, task.paused_at, now)
    if task.pause_reason == PauseReason.APPLICANT_PAYMENT:
        # Time the applicant took to pay is theirs: it pushes the whole service time too.
        clocks.applicant_answered(task.application, task.paused_at, now)
    task.paused_at, task.pause_reason, task.paused_until = None, "", None


def unpause_locked(task: Task, by, reason: str) -> bool:
    """Restart the clock of an open task paused for ``reason`` (inside the caller's locked
    transition), e.g. when the applicant has paid. False when it was not paused for that."""
    if not task.paused_at or task.pause_reason != reason:
        return False
    _unpause(task, by, timezone.now())
    task.save(update_fields=["paused_at", "pause_reason", "paused_until", "due_at"])
    return True


def lock_for_action(task: Task, by) -> tuple[Any, Task]:
    """For a transition of an action handler on an open task (e.g. scheduling a visit): lock,
    re-read and check that ``by`` may act on it. Call inside ``transaction.atomic``."""
    application, task = _lock(task)
    _require_open(task)
    _check_performer(task, by)
    return application, task


def cancel_open_tasks(application, by, note: str = "") -> list[Task]:
    """End every open task of a withdrawn application (inside the caller's locked
    transition)."""
    now = timezone.now()
    tasks = list(
        Task.objects.select_for_update().filter(application=application, status=Task.Status.OPEN)
    )
    for task in tasks:
        if task.paused_at:
            _event(task, StepEvent.Kind.RESUMED, by, at=now, reason=task.pause_reason)
        task.application = application
        # Part of the withdrawal, whose entry lists the tasks it cancelled.
        TASK.move(
            task,
            Task.Status.CANCELLED,
            by=by,
            locked=True,
            record=False,
            fields={"paused_at": None, "pause_reason": "", "completed_at": now},
        )
        _event(task, StepEvent.Kind.ENDED, by, at=now, note=note)
    return tasks
