"""A set-wise loader for the monitoring bench's large data sets: the same rows as
``bench.lifecycle.load`` (applications in progress, two done tasks and one open task each, their
step events), written by a few ``INSERT … SELECT`` over ``generate_series`` and one ``COPY`` of
the per-file random parts instead of the ORM's batches. The first batch still goes through
``lifecycle.load`` (migrations, the demo data, the generated applicants, the template row whose
other columns every later file copies)."""

import random
import time

from bench import lifecycle

#: The columns the loader sets; every other column is copied from the first bench file.
APP_SET = {
    "id",
    "tracking_number",
    "service_id",
    "sop_version_id",
    "applicant_id",
    "submitted_at",
    "access_code_hash",
}

TASKS = """
INSERT INTO workflows_task (role, cycle, status, outcome, notes, opened_at, due_at, completed_at,
    agency_id, application_id, assignee_id, completed_by_id, step_id, claimed_at, pause_reason,
    paused_at, paused_until, office_time, paused_time)
SELECT r.role, 1, CASE WHEN r.pos < 2 THEN 'done' ELSE 'open' END, r.outcome, '',
       a.submitted_at + r.pos * interval '1 minute', NULL,
       CASE WHEN r.pos < 2 THEN a.submitted_at + (r.pos + 1) * interval '1 minute' END,
       r.agency_id, a.id, NULL, CASE WHEN r.pos = 0 THEN a.applicant_id END, r.step_id, NULL, '',
       NULL, NULL, NULL, NULL
  FROM permits_application a JOIN bench_route r ON r.service_id = a.service_id
 WHERE a.id > %s AND a.tracking_number LIKE 'BENCH-%%'
 ORDER BY a.id, r.pos
"""
EVENTS = """
INSERT INTO workflows_stepevent (kind, reason, until, note, at, application_id, by_id, task_id)
SELECT e.kind, '', NULL, '', e.at, t.application_id, NULL, t.id
  FROM workflows_task t
 CROSS JOIN LATERAL (VALUES ('started', t.opened_at), ('ended', t.completed_at)) e(kind, at)
 WHERE t.application_id > %s AND e.at IS NOT NULL
 ORDER BY t.id, e.at
"""


def load(n: int) -> None:
    """``n`` bench applications, the first ``lifecycle.BATCH`` through the ORM loader."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from permits import numbering
    from permits.models import Application, Service

    lifecycle.load(min(n, lifecycle.BATCH))
    bench = Application.objects.filter(tracking_number__startswith=lifecycle.TRACKING_PREFIX)
    have = bench.count()
    if have >= n:
        return
    started = time.monotonic()
    User = get_user_model()
    applicants = list(
        User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True)
    )
    demo = User.objects.get(email=lifecycle.DEMO_APPLICANT).pk
    services = [s for s in Service.objects.filter(sop__isnull=False) if s.published_sop]
    # Read before the COPY: no other query may run on the connection while it is open.
    versions = [s.published_sop.pk for s in services]
    template = bench.order_by("id").first()
    last_id = Application.objects.order_by("-id").values_list("id", flat=True).first()
    rng = random.Random(42 + have)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_route (service_id bigint, pos int, step_id bigint,"
            " agency_id bigint, role text, outcome text) ON COMMIT DROP"
        )
        for service in services:
            for pos, (step, agency) in enumerate(lifecycle._route(service, service.published_sop)):
                cursor.execute(
                    "INSERT INTO bench_route VALUES (%s, %s, %s, %s, %s, %s)",
                    [
                        service.pk,
                        pos,
                        step.pk,
                        agency.pk if agency else None,
                        step.performer.role,
                        "yes" if pos < 2 and step.symbol == "decision" else "",
                    ],
                )
        cursor.execute(
            "CREATE TEMP TABLE bench_file (i int, service_id bigint, version_id bigint,"
            " applicant_id bigint, hash text) ON COMMIT DROP"
        )
        with cursor.copy("COPY bench_file FROM STDIN") as copy:
            for i in range(have, n):
                k = i % len(services)
                number = f"{lifecycle.TRACKING_PREFIX}{i:07d}"
                copy.write_row(
                    (
                        i,
                        services[k].pk,
                        versions[k],
                        demo if i % 500 == 0 else rng.choice(applicants),
                        numbering.hash_access_code(number, lifecycle.ACCESS_CODE),
                    )
                )
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'permits_application' ORDER BY ordinal_position"
        )
        copied = [c for (c,) in cursor.fetchall() if c not in APP_SET]
        cursor.execute(
            f"""
            INSERT INTO permits_application (tracking_number, service_id, sop_version_id,
                applicant_id, submitted_at, access_code_hash, {", ".join(copied)})
            SELECT %s || lpad(b.i::text, 7, '0'), b.service_id, b.version_id, b.applicant_id,
                   %s - (%s - b.i) * interval '1 minute', b.hash,
                   {", ".join(f"t.{c}" for c in copied)}
              FROM bench_file b, permits_application t WHERE t.id = %s ORDER BY b.i
            """,
            [lifecycle.TRACKING_PREFIX, now, n, template.pk],
        )
        files = cursor.rowcount
        cursor.execute(TASKS, [last_id])
        tasks = cursor.rowcount
        cursor.execute(EVENTS, [last_id])
        events = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {files:,} applications, {tasks:,} tasks, {events:,} step events set-wise "
        f"in {time.monotonic() - started:,.0f} s"
    )
