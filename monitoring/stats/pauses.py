"""Office time spent paused by the steps that ended in a period, by the reason of the first
pause (the applicant's own waiting time as a row of its own)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Subquery, Sum

from workflows.models import StepEvent

from .. import facts
from ..filters import Filters
from .base import ended_tasks

# --- pauses --------------------------------------------------------------------------------------

APPLICANT_TIME = "applicant"


@dataclass(frozen=True)
class PauseRow:
    reason: str
    steps: int
    paused: timedelta

    @property
    def mean(self) -> timedelta | None:
        return self.paused / self.steps if self.steps else None


def pauses(f: Filters) -> list[PauseRow]:
    """Office time spent paused by steps that ended in the period, by the reason of their first
    pause; the applicant's own steps (waiting for a correction) form a row of their own."""
    if facts.enabled():
        return facts.pauses(f)
    first_reason = Subquery(
        StepEvent.objects.filter(task=OuterRef("pk"), kind=StepEvent.Kind.PAUSED)
        .order_by("at", "id")
        .values("reason")[:1]
    )
    office = (
        ended_tasks(f)
        .filter(paused_time__gt=timedelta(0))
        .annotate(reason=first_reason)
        .values("reason")
        .annotate(steps=Count("id"), paused=Sum("paused_time"))
        .order_by("reason")
    )
    rows = [PauseRow(r["reason"] or "", r["steps"], r["paused"]) for r in office]
    applicant = (
        ended_tasks(f, office=False)
        .filter(paused_time__gt=timedelta(0))
        .aggregate(steps=Count("id"), paused=Sum("paused_time"))
    )
    if applicant["steps"]:
        rows.append(PauseRow(APPLICANT_TIME, applicant["steps"], applicant["paused"]))
    return rows
