"""The monitoring benchmark: on the 100,000-application data set of ``bench/lifecycle.py``
(loaded by its own loader if missing), times the SOP performance dashboard, its API and
exports and the public transparency page, next to a bare Django view, in one process
(Django's test Client).

Run: ``.venv/bin/python bench/dashboard.py [--applications N | --tasks T] [--requests R]
[--raw]`` (``--tasks 1000000``: a million step tasks, three per application; ``--raw``: the same
targets again with the raw queries, ``MONITORING_FACTS`` off, the "before" of the same run).
Every run also times the facts without the cache (``[cold]``: the first request after a figure
changed, computed from the facts and rendered). The Done-when ratio (at most 10x the bare view)
is the warm request: what users get when they come back to a page whose figures did not change.
"""

import argparse
import os
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import fastload, lifecycle  # noqa: E402
from bench._common import size_arguments, time_targets, triggers_off  # noqa: E402

#: Who looks: the demo complaints and reporting officer, else (older bench data) the administrator.
MONITORS = ("pengaduan@demo.sopportal.invalid", "admin@demo.sopportal.invalid")

#: The lifecycle loader leaves the done steps (submit, completeness check) without measured
#: times or deadlines. Give the office's done steps what the engine would have written: a
#: deadline 30 office minutes after opening, an office time of 1 to 61 minutes (so about half
#: run late) and no pause. Idempotent: only rows still without an office time change.
FILL_MEASURES = """
UPDATE workflows_task
   SET office_time = (1 + (id % 7) * 10) * interval '1 minute',
       paused_time = interval '0',
       completed_at = opened_at + (1 + (id % 7) * 10) * interval '1 minute',
       due_at = opened_at + interval '30 minutes'
 WHERE status = 'done' AND office_time IS NULL AND role <> 'applicant'
"""
FILL_APPLICANT = """
UPDATE workflows_task SET office_time = interval '0', paused_time = interval '0'
 WHERE status = 'done' AND office_time IS NULL AND role = 'applicant'
"""


def fill_measures() -> None:
    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FILL_MEASURES)
        office = cursor.rowcount
        cursor.execute(FILL_APPLICANT)
        applicant = cursor.rowcount
    if office or applicant:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE workflows_task")
        print(
            f"measured {office:,} office and {applicant:,} applicant steps "
            f"in {time.monotonic() - started:,.0f} s"
        )


def load_without_triggers(applications: int) -> None:
    """The loader's bulk inserts with the fact triggers off (``session_replication_role``, a
    superuser's setting: the bench's own server), then ``rebuild_facts`` once, timed: as one
    would import a back catalogue. Elsewhere the triggers run during the load."""
    from django.core.management import call_command

    with triggers_off() as replica:
        fastload.load(applications)
        fill_measures()
    if replica:
        started = time.monotonic()
        call_command("rebuild_facts")
        print(f"rebuild_facts: {time.monotonic() - started:.1f} s")


def measure(requests: int, label: str = "") -> list:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from permits.models import Application
    from workflows.models import Task

    monitor = Client()
    users = get_user_model().objects.filter(email__in=MONITORS)
    monitor.force_login(min(users, key=lambda u: MONITORS.index(u.email)))
    anonymous = Client()
    applications = Application.objects.count()
    steps = Task.objects.filter(status="done").exclude(role="applicant").count()
    targets = [
        ("bare Django view", "GET /bench/bare/", anonymous, "/bench/bare/"),
        (
            f"dashboard ({applications:,} files, {steps:,} steps)",
            "GET /pantau/",
            monitor,
            "/pantau/",
        ),
        ("dashboard API: summary", "GET /api/v1/monitoring/summary/", monitor, None),
        ("dashboard API: steps", "GET /api/v1/monitoring/steps/", monitor, None),
        ("dashboard API: backlog", "GET /api/v1/monitoring/backlog/", monitor, None),
        ("export: steps (XLSX)", "GET /pantau/ekspor/", monitor, None),
        ("transparency page", "GET /transparansi/", anonymous, "/transparansi/"),
        ("transparency API", "GET /api/v1/transparency/", anonymous, None),
    ]
    urls = {
        "GET /pantau/ekspor/": "/pantau/ekspor/?tabel=steps&format=xlsx",
    }
    suffix = f" {label}" if label else ""
    if label:  # the second pass: the bare view was measured in the first
        targets = targets[1:]
    calls = [
        (name, route, client, partial(Client.get, path=url or urls.get(route) or route[4:]))
        for name, route, client, url in targets
    ]
    return time_targets(calls, requests, suffix=suffix)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser, requests=50)
    parser.add_argument(
        "--tasks",
        type=int,
        default=None,
        help="step tasks to load instead (three per application): --tasks 1000000",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="also time every target on the raw queries (MONITORING_FACTS off)",
    )
    args = parser.parse_args(argv)
    url = lifecycle.bench_database_url()
    lifecycle.create_database(url)
    lifecycle.setup_django(url)
    applications = -(-args.tasks // 3) if args.tasks else args.applications
    load_without_triggers(applications)
    from django.db import connection
    from django.test import override_settings

    from monitoring.facts_sql import FACT_TABLES

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(FACT_TABLES)}")
    results = measure(args.requests)
    # The cost of a cache miss (the first request after any figure changed): facts, no cache.
    with override_settings(MONITORING_CACHE_SECONDS=0):
        results += measure(args.requests, label="[cold]")
    if args.raw:
        with override_settings(MONITORING_FACTS=False):
            results += measure(args.requests, label="[raw]")
    report(results)


def report(results) -> None:
    """The table (wall median and p95, CPU median, queries per request), then each target's
    median as a multiple of the bare view's, by wall and CPU time: warm (the goal), cold and
    raw apart."""
    import statistics

    print()
    print(
        f"{'target':<52} {'route':<34} {'status':>6} {'median ms':>10} {'p95 ms':>8}"
        f" {'cpu ms':>7} {'queries':>7}"
    )
    print("-" * 130)
    for r in results:
        median = statistics.median(r.timings)
        p95 = statistics.quantiles(r.timings, n=20)[-1] if len(r.timings) > 1 else median
        print(
            f"{r.label:<52} {r.route:<34} {r.status_code:>6} {median:>10.1f} {p95:>8.1f}"
            f" {statistics.median(r.cpu):>7.2f} {r.queries:>7.1f}"
        )
    bare = statistics.median(results[0].timings)
    bare_cpu = statistics.median(results[0].cpu) or float("nan")

    def ratios(r) -> str:
        return (
            f"{statistics.median(r.timings) / bare:>7.1f}x"
            f" {statistics.median(r.cpu) / bare_cpu:>7.1f}x"
        )

    print()
    print(f"load average: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("Warm: the figures unchanged since the page was last computed (the shared cache and")
    print("this process's copy hold it): what users get coming back. The goal, at most 10x the")
    print("bare view, is measured on these rows (wall, then CPU time of this process).")
    for r in results[1:]:
        if not r.label.endswith("]"):
            wall = statistics.median(r.timings) / bare
            verdict = "ok" if wall <= 10 else "above 10x"
            print(f"  {r.label:<52} {ratios(r)}  {verdict}")
    print()
    print("Cold: the first request after a figure changed (computed from the facts, rendered);")
    print("raw: the queries before the facts. Not the goal's rows; for comparison.")
    for r in results[1:]:
        if r.label.endswith("]"):
            print(f"  {r.label:<52} {ratios(r)}")
    print()
    print("Server time measured in-process with Django's test Client (no network, no gunicorn);")
    print("one Python process, the same database and settings for every row. CPU: this process")
    print("only (time.process_time), not the database server's.")


if __name__ == "__main__":
    main()
