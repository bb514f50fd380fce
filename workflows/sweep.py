"""The warning sweep: marks whose instant has come (due soon, overdue) on open, running tasks
are taken once and handed to the notifier ``permits`` registers (``clock_warnings``). Set-based
(a fixed handful of queries whatever the number of tasks) and idempotent: a mark is taken by
one transaction only (rows locked, skipped by a concurrent sweep), so a second run or a second
worker sends nothing twice, and a sweep killed before its commit leaves the marks unsent."""

import logging
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from sop_portal import audit

from . import actions
from .models import ClockWarning, ServiceClock, Task

log = logging.getLogger(__name__)


TAKE_DUE_MARKS = """
    UPDATE {warning} AS w SET sent_at = %(now)s
    WHERE w.id IN (
        SELECT m.id FROM {warning} AS m JOIN {task} AS t ON t.id = m.task_id
        WHERE m.sent_at IS NULL AND m.at <= %(now)s
          AND t.status = %(open)s AND t.paused_at IS NULL
        FOR UPDATE OF m SKIP LOCKED
    )
    RETURNING w.id, w.task_id, w.kind, w.at
"""


def take_due_marks(now: datetime) -> list[ClockWarning]:
    """Mark as sent, in one statement, the unsent marks that fall due by ``now`` on open tasks
    whose clock runs; rows another sweep holds are skipped (it sends them)."""
    sql = TAKE_DUE_MARKS.format(warning=ClockWarning._meta.db_table, task=Task._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": now, "open": Task.Status.OPEN})
        rows = cursor.fetchall()
    return [
        ClockWarning(id=id_, task_id=task_id, kind=kind, at=at, sent_at=now)
        for id_, task_id, kind, at in rows
    ]


def sweep(now: datetime | None = None) -> list[ClockWarning]:
    """Send every warning that fell due by ``now``, once, and flag the applications whose
    service time ran out; returns the step warnings sent by this run."""
    now = now or timezone.now()
    sweep_late_applications(now)
    return sweep_steps(now)


def sweep_steps(now: datetime) -> list[ClockWarning]:
    with transaction.atomic():
        warnings = take_due_marks(now)
        if not warnings:
            return []
        # Several marks of one task at once (a sweep after downtime): the latest says it all.
        latest = {}
        for warning in sorted(warnings, key=lambda w: w.at):
            latest[warning.task_id] = warning
        tasks = Task.objects.filter(pk__in=list(latest)).select_related(
            "application", "step", "agency", "assignee"
        )
        for task in tasks:
            latest[task.pk].task = task
        try:
            notifier = actions.provider("clock_warnings")
        except LookupError:
            log.warning("No clock_warnings notifier registered; %d warnings unsent.", len(warnings))
            transaction.set_rollback(True)
            return []
        notifier(list(latest.values()))
    return warnings


def sweep_late_applications(now: datetime) -> list[ServiceClock]:
    """Flag, once, each application whose service time passed without a decision: the
    office head hears of it (``late_applications`` notifier) and, where the service's policy
    says so (``deemed_approval`` provider), the deemed approval is recorded and audited."""
    with transaction.atomic():
        ids = list(
            ServiceClock.objects.filter(
                due_at__lte=now, decided_at__isnull=True, late_at__isnull=True
            )
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
        )
        if not ids:
            return []
        late = list(ServiceClock.objects.filter(id__in=ids).select_related("application"))
        try:
            notifier = actions.provider("late_applications")
            policy = actions.provider("deemed_approval")
        except LookupError:
            log.warning("No late_applications notifier registered; %d flags unsent.", len(ids))
            transaction.set_rollback(True)
            return []
        deemed = set(policy([c.application for c in late]))
        ServiceClock.objects.filter(id__in=ids).update(late_at=now)
        ServiceClock.objects.filter(id__in=ids, application_id__in=deemed).update(
            deemed_approved_at=now
        )
        for clock in late:
            clock.late_at = now
            if clock.application_id in deemed:
                clock.deemed_approved_at = now
                audit.record(
                    "workflows.application.deemed_approved",
                    clock.application,
                    after={"service_time_due": clock.due_at.isoformat(), "deemed_approved": True},
                    reason="UU 30/2014 art. 53 (UU 6/2023)",
                )
        notifier(late)
    return late
