"""The transition table of a complaint (``Complaint.status``) and its one writer.

::

    received --start--> in_progress --answer--> answered
        |  \\__________________answer______________^  |
        |                                            |
        +--close--> closed <--close-- in_progress, answered
    answered, closed --reopen--> in_progress

Every move is made by complaints staff who handle this complaint (the complaints unit, or the
agency it is assigned to); :mod:`feedback.complaints` keeps the audit codes the pages read
(``feedback.complaint.assigned``, ``…replied``, ``…closed`` …)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sop_portal.states import StateMachine, Transition

from .models import Complaint

RECEIVED = Complaint.Status.RECEIVED
IN_PROGRESS = Complaint.Status.IN_PROGRESS
ANSWERED = Complaint.Status.ANSWERED
CLOSED = Complaint.Status.CLOSED


def _handles_it(complaint: Complaint, by=None, **context) -> None:
    """Only staff who handle this complaint move it."""
    if by is None or not Complaint.objects.handled_by(by).filter(pk=complaint.pk).exists():
        raise PermissionDenied


WHO = "complaints staff handling this complaint"

COMPLAINT = StateMachine(
    "feedback.complaint",
    Complaint,
    [
        Transition("start", {RECEIVED}, IN_PROGRESS, who=WHO, guard=_handles_it),
        Transition("answer", {RECEIVED, IN_PROGRESS}, ANSWERED, who=WHO, guard=_handles_it),
        Transition("close", {RECEIVED, IN_PROGRESS, ANSWERED}, CLOSED, who=WHO, guard=_handles_it),
        Transition("reopen", {ANSWERED, CLOSED}, IN_PROGRESS, who=WHO, guard=_handles_it),
    ],
)
