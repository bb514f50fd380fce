"""The transition tables of a decree (``Decree.status``) and of a rendering job
(``RenderedDocument.status``), and their one writer each.

Decree::

    draft --finalize--> final --reopen--> draft

Rendering job (run by the worker; see :func:`claim`)::

    queued --claim--> running --finish--> done
                         +------fail----> failed     (a failed job stays; a new one is queued)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from agencies.access import is_administrator
from sop_portal.states import StateMachine, Transition

from ..models import Decree, RenderedDocument


def _administrator(decree: Decree, by=None, **context) -> None:
    """Decrees are the administrators' (or the operator's, with no user: a command)."""
    if by is not None and getattr(by, "is_authenticated", False) and not is_administrator(by):
        raise PermissionDenied


DECREE = StateMachine(
    "decree",
    Decree,
    [
        Transition(
            "finalize",
            {Decree.Status.DRAFT},
            Decree.Status.FINAL,
            who="an administrator",
            guard=_administrator,
        ),
        Transition(
            "reopen",
            {Decree.Status.FINAL},
            Decree.Status.DRAFT,
            who="an administrator",
            guard=_administrator,
        ),
    ],
)

QUEUED = RenderedDocument.Status.QUEUED
RUNNING = RenderedDocument.Status.RUNNING
DONE = RenderedDocument.Status.DONE
FAILED = RenderedDocument.Status.FAILED

RENDERING = StateMachine(
    "workflows.rendering",
    RenderedDocument,
    [
        Transition("claim", {QUEUED}, RUNNING, who="a worker (the first to claim it)"),
        Transition("finish", {RUNNING}, DONE, who="the worker that claimed it"),
        Transition("fail", {RUNNING}, FAILED, who="the worker that claimed it"),
    ],
)


def claim(job_id: int) -> RenderedDocument | None:
    """Claim queued job ``job_id`` for this worker: the conditional, atomic claim. The row is
    locked with ``SKIP LOCKED`` and moved only while queued, so two workers never both run it;
    returns the claimed job, or ``None`` when it is gone, taken or no longer queued."""
    with transaction.atomic():
        job = (
            RenderedDocument.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=job_id, status=QUEUED)
            .first()
        )
        if job is None:
            return None
        return RENDERING.move(job, RUNNING, name="claim", locked=True)
