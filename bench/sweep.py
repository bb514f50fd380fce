"""Benchmark of the clock sweep: 1,000,000 step tasks of which 100,000 are open, in a separate
PostgreSQL database; prints the sweep time next to a bare indexed ``SELECT count(*)`` of the
open overdue tasks, and due-date computations per second.

    .venv/bin/python bench/sweep.py [--url postgres://postgres@127.0.0.1:5432/sop_portal_bench_sweep]

The database is dropped and created again (never point it at a real one).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import fresh_database  # noqa: E402

TASKS, OPEN = 1_000_000, 100_000


def setup(url: str) -> None:
    fresh_database(url)


def seed() -> None:
    """One real application of the seeded AKDP service, then a million task rows (one in
    ten open, deadlines spread evenly over ten days around now, ten every 86.4 seconds) with
    their warning marks, in SQL."""
    from django.db import connection
    from django.utils import timezone

    from agencies.models import Agency, Role
    from agencies.seed import seed_agencies
    from permits import lifecycle
    from permits.models import Service
    from permits.seed.catalogue import SOPS_DIR, seed_services
    from tests.factories import MembershipFactory, UserFactory
    from workflows.models import Task

    seed_agencies()
    seed_services([SOPS_DIR / "DISHUB-AKDP.json"])
    service = Service.objects.get(code="DISHUB-AKDP")
    MembershipFactory(agency=Agency.objects.get(code="DPMPTSP"), role=Role.FRONT_OFFICE)
    MembershipFactory(agency=Agency.objects.get(code="DPMPTSP"), role=Role.HEAD)
    application = lifecycle.create_draft(service, UserFactory())
    from django.core.files.uploadedfile import SimpleUploadedFile

    for requirement in service.requirements.filter(mandatory=True):
        pdf = (
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
        )
        lifecycle.attach_document(
            application,
            application.applicant,
            requirement.code,
            SimpleUploadedFile(f"{requirement.code}.pdf", pdf, content_type="application/pdf"),
        )
    lifecycle.submit(application, application.applicant)
    model = Task.objects.filter(application=application, status="open").first()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO workflows_task (application_id, step_id, agency_id, role, cycle, status,
                outcome, notes, pause_reason, opened_at, due_at, completed_at)
            SELECT %(app)s, %(step)s, %(agency)s, %(role)s, 1,
                   CASE WHEN i %% 10 = 0 THEN 'open' ELSE 'done' END, '', '', '',
                   %(now)s - interval '10 days',
                   %(now)s + ((i / 10) %% 10000 - 5000) * interval '86.4 seconds',
                   CASE WHEN i %% 10 = 0 THEN NULL ELSE %(now)s END
            FROM generate_series(1, %(n)s) AS i
            """,
            {
                "app": application.pk,
                "step": model.step_id,
                "agency": model.agency_id,
                "role": model.role,
                "now": now,
                "n": TASKS - Task.objects.count(),
            },
        )
        cursor.execute(
            """
            INSERT INTO workflows_clockwarning (task_id, kind, at, sent_at)
            SELECT t.id, k.kind, t.due_at - k.early, NULL
            FROM workflows_task t,
                 (VALUES ('soon_1', interval '2 days'), ('soon_2', interval '1 day'),
                         ('overdue', interval '0')) AS k(kind, early)
            WHERE t.status = 'open'
            ON CONFLICT DO NOTHING
            """
        )
        cursor.execute("ANALYZE")


def timed(function, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default="postgres://postgres@127.0.0.1:5432/sop_portal_bench_sweep"
    )
    parser.add_argument("--beats", type=int, default=12, help="normal sweeps timed (5 min apart)")
    args = parser.parse_args()
    started = time.perf_counter()
    setup(args.url)
    seed()
    print(f"seeded {TASKS:,} tasks ({OPEN:,} open) in {time.perf_counter() - started:.1f} s")

    from django.db import connection
    from django.utils import timezone

    from permits.models import Notification
    from workflows import actions, calendar
    from workflows.durations import Duration, TimeUnit
    from workflows.models import ClockWarning, Task
    from workflows.sweep import sweep

    now = timezone.now()

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM workflows_task WHERE status = 'open' AND due_at <= %s",
                [now],
            )
            return cursor.fetchone()[0]

    def vacuum():
        # What autovacuum does between two beats on a live system: drop the index entries of
        # marks already sent.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE workflows_clockwarning")
            cursor.execute("VACUUM ANALYZE permits_notification")

    floor_s, overdue = timed(floor)
    print(f"open tasks: {Task.objects.open().count():,}; open overdue: {overdue:,}")
    print(f"floor, a bare indexed SELECT count(*) of open overdue tasks: {floor_s * 1000:.1f} ms")

    # 1. The normal case: the beat every 5 minutes on a running system (everything due
    # before now already sent), Notification rows written and emails queued.
    ClockWarning.objects.filter(at__lte=now).update(sent_at=now)
    vacuum()
    beats, warned = [], 0
    for beat in range(1, args.beats + 1):
        start = time.perf_counter()
        warned += sweep(now + timezone.timedelta(minutes=5 * beat)).total()
        beats.append(time.perf_counter() - start)
    beat_s = statistics.median(beats)
    print(
        f"normal sweep (beat every 5 min, {warned / len(beats):.0f} warnings each, notices "
        f"written): median {beat_s * 1000:.1f} ms = {beat_s / floor_s:.1f}x the floor; "
        f"max {max(beats) * 1000:.1f} ms"
    )
    start = time.perf_counter()
    sweep(now + timezone.timedelta(minutes=5 * args.beats))
    empty_s = time.perf_counter() - start
    print(f"a sweep with nothing due: {empty_s * 1000:.1f} ms ({empty_s / floor_s:.1f}x)")

    # 2. The worst case: the first sweep after a long downtime, every mark due by now unsent.
    def reset():
        ClockWarning.objects.filter(sent_at__isnull=False).update(sent_at=None)
        Notification.objects.all().delete()
        vacuum()

    notifier = actions.provider("clock_warnings")
    actions.provide("clock_warnings", lambda taken: None)
    reset()
    start = time.perf_counter()
    sent = sweep(now)
    select_s = time.perf_counter() - start
    print(
        f"catch-up sweep, marks only (no notices): {sent.total():,} warnings taken in "
        f"{select_s * 1000:.0f} ms ({select_s / floor_s:.1f}x the floor)"
    )
    actions.provide("clock_warnings", notifier)
    reset()
    start = time.perf_counter()
    sent = sweep(now)
    full_s = time.perf_counter() - start
    notices = Notification.objects.count()
    print(
        f"catch-up sweep with notices: {sent.total():,} warnings, {notices:,} Notification rows "
        f"in {full_s:.2f} s ({full_s / floor_s:.0f}x the floor)"
    )
    _purge_email_tasks()

    cal = calendar.current()
    norms = [Duration(n % 12 + 1, TimeUnit.DAYS) for n in range(5000)]
    norms += [Duration(n % 300 + 1, TimeUnit.MINUTES) for n in range(5000)]
    start = time.perf_counter()
    for i, norm in enumerate(norms):
        cal.due(now + timezone.timedelta(minutes=i), norm)
    rate = len(norms) / (time.perf_counter() - start)
    print(f"due-date computations: {rate:,.0f} per second")


def _purge_email_tasks() -> None:
    """Drop the email tasks the sweeps queued (no worker runs here)."""
    from sop_portal.celery import app

    try:
        dropped = app.control.purge()
    except Exception as error:  # noqa: BLE001 - the bench's figures are printed already
        print(f"(could not purge the queued email tasks: {error})")
        return
    print(f"({dropped:,} queued email tasks dropped)")


if __name__ == "__main__":
    main()
