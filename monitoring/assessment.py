"""Tabel 7 in the portal: opening a semester's round with every published SOP pre-assessed
from the measured figures, and the assessor's audited edits of one row."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import can_monitor
from permits.models import Service
from sop_portal import audit

from . import stats
from .filters import Filters
from .models import Assessment, MonitoringEntry, MonitoringRound


def threshold() -> float:
    """An SOP "runs well" when at least this share (%) of its office steps with a norm ended
    on time in the semester and no step's 90th-percentile office time is above its norm
    (setting ``MONITORING_RUNS_WELL_ON_TIME_RATE``)."""
    return float(settings.MONITORING_RUNS_WELL_ON_TIME_RATE)


@dataclass(frozen=True)
class Suggestion:
    assessment: str  # an Assessment value, or "" when nothing was measured
    measured: dict


def suggest(steps: list[stats.StepRow]) -> Suggestion:
    """The pre-filled assessment of one SOP from its steps' figures (the rule of ``threshold``)."""
    measured = sum(s.measured for s in steps)
    on_time = sum(s.on_time for s in steps)
    over = [f"{s.no}. {s.label}" for s in steps if s.over_norm]
    on_time_rate = stats.rate(on_time, measured)
    figures = {
        "steps_measured": measured,
        "steps_on_time": on_time,
        "on_time_rate": on_time_rate,
        "steps_over_norm": over,
        "threshold": threshold(),
    }
    if not measured:
        return Suggestion("", figures)
    runs_well = on_time_rate >= threshold() and not over
    return Suggestion(Assessment.RUNS_WELL if runs_well else Assessment.NOT_WELL, figures)


def _require_monitor(by) -> None:
    if not can_monitor(by):
        raise PermissionDenied


def open_round(year: int, semester: int, by) -> MonitoringRound:
    """Open the round of ``year``/``semester`` with one entry per service with a published SOP,
    pre-assessed from the semester's figures."""
    _require_monitor(by)
    if semester not in MonitoringRound.Semester.values:
        raise ValidationError(_("Choose the first or the second semester."))
    services = list(
        Service.objects.filter(is_active=True, sop__isnull=False)
        .with_published_sop()
        .order_by("name")
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                monitoring = MonitoringRound.objects.create(
                    year=year, semester=semester, created_by=by
                )
        except IntegrityError as error:
            raise ValidationError(_("This semester already has a monitoring round.")) from error
        f = Filters(monitoring.period_start, monitoring.period_end)
        steps_of: dict[int, list[stats.StepRow]] = {}
        for step in stats.by_step(f):
            steps_of.setdefault(step.service_id, []).append(step)
        entries = []
        for position, service in enumerate(
            (s for s in services if s.published_sop is not None), start=1
        ):
            version = service.published_sop
            suggestion = suggest(steps_of.get(service.pk, []))
            entries.append(
                MonitoringEntry(
                    round=monitoring,
                    position=position,
                    service=service,
                    sop_version=version,
                    procedure=version.name,
                    measured=suggestion.measured,
                    suggested=suggestion.assessment,
                    assessment=suggestion.assessment,
                )
            )
        MonitoringEntry.objects.bulk_create(entries)
        audit.record(
            "monitoring.round.opened",
            monitoring,
            actor=by,
            after={"year": year, "semester": semester, "entries": len(entries)},
        )
    return monitoring


EDITABLE = ("assessment", "notes", "actions")


def assess(entry: MonitoringEntry, by, *, assessment: str, notes: str, actions: str):
    """The assessor confirms or changes one row; their name and the time become its *paraf*."""
    _require_monitor(by)
    if assessment not in Assessment.values:
        raise ValidationError(_("Choose whether the SOP runs well."))
    with transaction.atomic():
        entry = MonitoringEntry.objects.select_for_update().get(pk=entry.pk)
        before = {f: getattr(entry, f) for f in EDITABLE}
        entry.assessment, entry.notes, entry.actions = assessment, notes.strip(), actions.strip()
        entry.assessed_by, entry.assessed_at = by, timezone.now()
        entry.save(update_fields=[*EDITABLE, "assessed_by", "assessed_at"])
        audit.record(
            "monitoring.entry.assessed",
            entry,
            actor=by,
            before=before,
            after={f: getattr(entry, f) for f in EDITABLE},
        )
    return entry
