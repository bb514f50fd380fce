"""The task's transition table: a task opens (created ``open``), then is done by the
performer of its step or cancelled when its application is withdrawn. ``TASK.move`` is the
only writer of ``Task.status``; ``workflows.engine`` checks who may act (the performer of the
step, its claim) before it moves, and its moves are audited on the task's application, so a
file's history reads in one place.

=========  ======  =========  ===================================================================
name       from    to         who may
=========  ======  =========  ===================================================================
complete   open    done       the step's performer: the holder of its role in its agency, or the
                              applicant on an applicant step (their submit step, a correction)
cancel     open    cancelled  the applicant, withdrawing the application (its open tasks end)
=========  ======  =========  ===================================================================
"""

from sop_portal.states import StateMachine, Transition

from ..models import Task

OPEN, DONE, CANCELLED = Task.Status.OPEN, Task.Status.DONE, Task.Status.CANCELLED


def _application(task: Task):
    return task.application


def _refused(message: str) -> Exception:
    # The engine's own error, so its doors keep catching one family (imported when needed:
    # the engine imports this module).
    from ..engine import InvalidState

    return InvalidState(message)


TASK = StateMachine(
    "workflows.task",
    Task,
    [
        Transition("complete", {OPEN}, DONE, who="the performer of the step"),
        Transition("cancel", {OPEN}, CANCELLED, who="the applicant, by withdrawing"),
    ],
    audit_on=_application,
    refusal=_refused,
)
