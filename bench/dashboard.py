"""The monitoring benchmark: on the 100,000-application data set of ``bench/lifecycle.py``
(loaded by its own loader if missing), times the SOP performance dashboard, its API and
exports and the public transparency page, next to a bare Django view, in one process
(Django's test Client).

Run: ``.venv/bin/python bench/dashboard.py [--applications N] [--requests R]``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import lifecycle  # noqa: E402

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


def measure(requests: int) -> list[tuple[str, str, list[float], int]]:
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
    results = []
    for label, route, client, url in targets:
        url = url or urls.get(route) or route.split(" ", 1)[1]
        for _ in range(3):  # warm-up
            response = client.get(url)
        timings = []
        for _ in range(requests):
            begin = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - begin) * 1000)
        results.append((label, route, timings, response.status_code))
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--applications",
        type=int,
        default=int(os.environ.get("BENCH_APPLICATIONS", 100_000)),
        help="applications to load if missing (default 100000, env BENCH_APPLICATIONS)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=int(os.environ.get("BENCH_REQUESTS", 50)),
        help="timed requests per target (default 50, env BENCH_REQUESTS)",
    )
    args = parser.parse_args(argv)
    url = lifecycle.bench_database_url()
    lifecycle.create_database(url)
    lifecycle.setup_django(url)
    lifecycle.load(args.applications)
    fill_measures()
    lifecycle.report(measure(args.requests))


if __name__ == "__main__":
    main()
