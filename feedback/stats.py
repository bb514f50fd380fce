"""Figures of the survey and the complaints over a period, for dashboards, the transparency
page and reports: each a fixed number of aggregate queries, whatever the amount of data.

Periods are inclusive local (WITA) dates. A survey response counts on the day it was answered;
a complaint on the day it was received."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from . import skm
from .models import Complaint, SurveyResponse

#: Application statuses that end the SOP (the survey's population); withdrawals do not count.
FINISHED_STATUSES = ("completed", "rejected", "issued")

_SUMS = {f"sum_{f}": Sum(f) for f in skm.ELEMENT_FIELDS}


def responses_in(start: date, end: date, service_id=None, agency_id=None):
    rows = SurveyResponse.objects.filter(answered_on__range=(start, end))
    if service_id is not None:
        rows = rows.filter(service_id=service_id)
    if agency_id is not None:
        rows = rows.filter(_agency_filter(agency_id, "service__"))
    return rows


def _agency_filter(agency_id: int, prefix: str) -> Q:
    """A service belongs to a technical agency when that agency gives its technical
    recommendation; the one-stop office (DPMPTSP) delivers every service. One query."""
    from agencies.access import is_office

    if is_office(agency_id):
        return Q()
    from permits.models import Service

    return Q(**{f"{prefix}in": Service.objects.filter(technical_agencies=agency_id).values("pk")})


def _finished(start: date, end: date):
    from permits.models import Application

    return Application.objects.filter(
        completed_at__date__range=(start, end), status__in=FINISHED_STATUSES
    )


def _population(start: date, end: date, service_ids=None) -> dict[int, int]:
    """Service id → files finished in the period (of ``service_ids`` only, if given): from the
    monitoring facts where they are kept (no application is read), else counted."""
    from monitoring import facts

    if facts.enabled():
        return facts.finished_by_service(start, end, service_ids)
    finished = _finished(start, end)
    if service_ids is not None:
        finished = finished.filter(service_id__in=list(service_ids))
    return dict(
        finished.values("service_id").annotate(n=Count("id")).values_list("service_id", "n")
    )


def _result(row: dict) -> skm.SkmResult:
    return skm.result(row["respondents"], [row[f"sum_{f}"] for f in skm.ELEMENT_FIELDS])


def ikm_by_service(start: date, end: date) -> dict[int, skm.SkmResult]:
    """Service id → its survey result in the period (services without any response are left
    out), with the population (applications finished) and the required sample. Two queries."""
    rows = (
        responses_in(start, end)
        .values("service_id")
        .annotate(respondents=Count("id"), **_SUMS)
        .order_by("service_id")
    )
    results = {row["service_id"]: _result(row) for row in rows}
    if not results:
        return {}
    population = _population(start, end, results)
    return {sid: r.with_population(population.get(sid, 0)) for sid, r in results.items()}


def ikm(start: date, end: date, *, service_id=None, agency_id=None) -> skm.SkmResult:
    """The survey result over every response of the period (optionally of one service or of
    one agency's services), with population and required sample. Two or three queries."""
    row = responses_in(start, end, service_id, agency_id).aggregate(
        respondents=Count("id"), **_SUMS
    )
    from permits.models import Service

    services = None
    if service_id is not None:
        services = [service_id]
    if agency_id is not None:
        of_agency = Service.objects.filter(technical_agencies=agency_id).values_list("pk")
        services = [s for (s,) in of_agency if services is None or s in services]
    return _result(row).with_population(sum(_population(start, end, services).values()))


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints received in a period and what became of them (as of now).

    ``resolved``: answered or closed; ``open``: still received or in progress; ``overdue``:
    open past the response norm; ``resolved_on_time``: first answered within the norm."""

    received: int = 0
    resolved: int = 0
    open: int = 0
    overdue: int = 0
    resolved_on_time: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        """Share of the resolved complaints answered within the norm (None if none)."""
        return self.resolved_on_time / self.resolved if self.resolved else None


def complaints_in(start: date, end: date, service_id=None, agency_id=None):
    rows = Complaint.objects.filter(received_at__date__range=(start, end))
    if service_id is not None:
        rows = rows.filter(service_id=service_id)
    if agency_id is not None:
        rows = rows.filter(assigned_agency_id=agency_id)
    return rows


def complaint_figures(
    start: date, end: date, service_id: int | None = None, agency_id: int | None = None
) -> ComplaintFigures:
    """Complaint figures of the period (optionally of one service, or assigned to one agency).
    Two queries."""
    rows = complaints_in(start, end, service_id, agency_id)
    now = timezone.now()
    open_q = Q(status__in=Complaint.OPEN_STATES)
    totals = rows.aggregate(
        received=Count("id"),
        resolved=Count("id", filter=~open_q),
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(due_at__lt=now)),
        resolved_on_time=Count(
            "id", filter=~open_q & Q(answered_at__isnull=False, answered_at__lte=F("due_at"))
        ),
    )
    by_status = dict.fromkeys(Complaint.Status.values, 0)
    for status, n in rows.values("status").annotate(n=Count("id")).values_list("status", "n"):
        by_status[status] = n
    return ComplaintFigures(by_status=by_status, **totals)


def ikm_by_agency(start: date, end: date) -> dict[int, skm.SkmResult]:
    """Technical agency id → the survey result of the services it recommends on, in the
    period (agencies without responses are left out). The one-stop office's result is the
    overall one (:func:`ikm` without filter). Two queries."""
    rows = (
        responses_in(start, end)
        .filter(service__technical_agencies__isnull=False)
        .values("service__technical_agencies")
        .annotate(respondents=Count("id"), **_SUMS)
        .order_by("service__technical_agencies")
    )
    results = {row["service__technical_agencies"]: _result(row) for row in rows}
    if not results:
        return {}
    population = dict(
        _finished(start, end)
        .filter(service__technical_agencies__in=list(results))
        .values("service__technical_agencies")
        .annotate(n=Count("id"))
        .values_list("service__technical_agencies", "n")
    )
    return {aid: r.with_population(population.get(aid, 0)) for aid, r in results.items()}
