"""The warning sweep: marks whose instant has come (due soon, overdue) on open, running tasks
are taken once and handed to the notifier ``permits`` registers (``clock_warnings``), which
writes every notice with one statement. Set-based (the same handful of statements whatever the
number of tasks; no mark or task travels through Python) and idempotent: a mark is taken by one
transaction only (rows locked, skipped by a concurrent sweep), so a second run or a second
worker sends nothing twice, and a sweep killed before its commit leaves the marks unsent."""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from . import actions
from .models import ClockWarning, ServiceClock, Task

log = logging.getLogger(__name__)

DUE_TABLE = "clock_sweep_due"
TAKEN_TABLE = "clock_sweep_taken"

# Two temporary tables live for one sweep's transaction: the marks due (read from the small
# partial index of unsent marks alone) and, per task, the mark taken. Analyzed once filled,
# they tell the planner the real number of rows: from the whole table's statistics it would
# guess tens of thousands of marks due where a beat finds a hundred, and read every open task
# and every mark to join them.
CREATE_TABLES = f"""
    CREATE TEMPORARY TABLE {DUE_TABLE}
        (id bigint PRIMARY KEY, task_id bigint NOT NULL) ON COMMIT DROP;
    CREATE TEMPORARY TABLE {TAKEN_TABLE}
        (task_id bigint PRIMARY KEY, kind varchar(10) NOT NULL, at timestamptz NOT NULL)
        ON COMMIT DROP
"""

# The unsent marks due by now, locked; rows another sweep holds are skipped (it sends them).
FIND_DUE_MARKS = """
    INSERT INTO {due} (id, task_id)
    SELECT id, task_id FROM {warning} WHERE sent_at IS NULL AND at <= %(now)s
    FOR UPDATE SKIP LOCKED
"""

# Takes the due marks of open, running tasks and keeps, per task, the latest one (several
# marks of one task fall due at once after downtime: the latest says it all); drops those of
# steps that ended (never to be sent: left, they would be read again by every beat, and most
# steps end before their "overdue" mark); answers how many marks of each kind it took.
TAKE_DUE_MARKS = """
    WITH dropped AS (
        DELETE FROM {warning} AS w
        USING {due} AS d JOIN {task} AS t ON t.id = d.task_id
        WHERE w.id = d.id AND w.sent_at IS NULL AND t.status <> %(open)s
    ),
    taken AS (
        UPDATE {warning} AS w SET sent_at = %(now)s
        FROM {due} AS d JOIN {task} AS t ON t.id = d.task_id
        WHERE w.id = d.id AND w.sent_at IS NULL
          AND t.status = %(open)s AND t.paused_at IS NULL
        RETURNING w.task_id, w.kind, w.at
    ),
    kept AS (
        INSERT INTO {taken} (task_id, kind, at)
        SELECT DISTINCT ON (task_id) task_id, kind, at FROM taken
        ORDER BY task_id, at DESC, kind = %(overdue)s DESC, kind DESC
    )
    SELECT kind, count(*) FROM taken GROUP BY kind
"""


@dataclass(frozen=True)
class TakenWarnings:
    """What one sweep hands the ``clock_warnings`` notifier: the temporary table ``table``
    (columns ``task_id``, ``kind``, ``at``; one row per task, its latest mark taken), which
    lives until the sweep's transaction ends, so the notifier can write every notice with
    one ``INSERT … SELECT``; ``now`` is the sweep's instant."""

    table: str
    now: datetime

    def warnings(self) -> list[ClockWarning]:
        """The same marks as objects with their tasks (for a notifier that wants rows)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT task_id, kind, at FROM {self.table} ORDER BY task_id")
            rows = cursor.fetchall()
        tasks = Task.objects.in_bulk([task_id for task_id, _k, _a in rows])
        return [
            ClockWarning(task=tasks[task_id], kind=kind, at=at, sent_at=self.now)
            for task_id, kind, at in rows
            if task_id in tasks
        ]


def take_due_marks(now: datetime) -> Counter:
    """Mark as sent the unsent marks that fall due by ``now`` on open tasks whose clock runs,
    keeping the latest per task in :data:`TAKEN_TABLE`; returns how many marks of each kind
    were taken. The same four statements whatever their number; call inside the sweep's
    transaction, after :data:`CREATE_TABLES`."""
    tables = {
        "warning": ClockWarning._meta.db_table,
        "task": Task._meta.db_table,
        "due": DUE_TABLE,
        "taken": TAKEN_TABLE,
    }
    with connection.cursor() as cursor:
        cursor.execute(FIND_DUE_MARKS.format(**tables), {"now": now})
        if not cursor.rowcount:
            return Counter()
        cursor.execute(f"ANALYZE {DUE_TABLE}")
        cursor.execute(
            TAKE_DUE_MARKS.format(**tables),
            {"now": now, "open": Task.Status.OPEN, "overdue": ClockWarning.Kind.OVERDUE},
        )
        taken = Counter(dict(cursor.fetchall()))
        if taken:
            cursor.execute(f"ANALYZE {TAKEN_TABLE}")
        return taken


def sweep(now: datetime | None = None) -> Counter:
    """Send every warning that fell due by ``now``, once, and flag the applications whose
    service time ran out; returns how many step warnings of each kind this run took."""
    now = now or timezone.now()
    sweep_late_applications(now)
    return sweep_steps(now)


def sweep_steps(now: datetime) -> Counter:
    try:
        notifier = actions.provider("clock_warnings")
    except LookupError:
        log.warning("No clock_warnings notifier registered; warnings left unsent.")
        return Counter()
    # Most beats find nothing: one look at the first entry of the index of unsent marks, and
    # no temporary tables to make. (Asked "any due by now?", the planner may expect many
    # and scan the whole table for one.)
    first = (
        ClockWarning.objects.filter(sent_at__isnull=True)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    if first is None or first > now:
        return Counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(CREATE_TABLES)
        taken = take_due_marks(now)
        if taken:
            notifier(TakenWarnings(TAKEN_TABLE, now))
        # Dropped now, not only at commit: two sweeps inside one outer transaction (tests)
        # each start with empty tables. On an error the savepoint's rollback drops them.
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {DUE_TABLE}, {TAKEN_TABLE}")
    return taken


def sweep_late_applications(now: datetime) -> list[ServiceClock]:
    """Flag, once, each application whose service time passed without a decision: the
    office head hears of it (``late_applications`` notifier) and, where the service's policy
    says so (``deemed_approval`` provider), the deemed approval is recorded on the clock and
    announced (``application_deemed_approved``: permits moves the application to its state
    of its own, audited)."""
    with transaction.atomic():
        # The applications are locked with their clocks, in one go and skipping those a
        # transition holds (flagged at the next beat): the deemed approval moves the
        # application, and the engine locks an application before its clock.
        ids = [
            clock.pk
            for clock in ServiceClock.objects.filter(
                due_at__lte=now, decided_at__isnull=True, late_at__isnull=True
            )
            .select_related("application")
            .select_for_update(skip_locked=True, of=("self", "application"))
            .only("id", "application__id")
        ]
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
                # Permits moves the application to its own visible state (and audits it).
                actions.emit(
                    "application_deemed_approved", application=clock.application, clock=clock
                )
        notifier(late)
    return late
