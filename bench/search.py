"""The staff search benchmark: on the 100,000-application data set of ``bench/lifecycle.py``
(loaded by its loader if missing; every fifth file then marked finished and every bench
applicant given a NIK), times the staff search page (``/petugas/cari/``) by a finished file's
NIK, by a part of an applicant's name, by a part of a tracking number, with filters and
without any, as the front office (who sees every file) and as an OPD officer (the files that
reached their agency), next to a bare Django view, in one process (Django's test Client).

Run: ``.venv/bin/python bench/search.py [--applications N] [--requests R]``; the database is
the lifecycle bench's (``BENCH_DATABASE_URL``, see README.md).
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

FRONT_OFFICE = "fo@demo.sopportal.invalid"

#: Every fifth bench file finished (completed a month after it was submitted), and every
#: applicant without one a NIK (74 = Sulawesi Tenggara, then the user's id): idempotent.
FINISH = """
UPDATE permits_application
   SET status = 'completed', completed_at = submitted_at + interval '30 days'
 WHERE tracking_number LIKE 'BENCH-%' AND id % 5 = 0 AND status <> 'completed'
"""
NIKS = """
UPDATE accounts_user SET nik = '74' || lpad(id::text, 14, '0')
 WHERE nik = '' AND email LIKE '%@bench.invalid'
"""


def prepare() -> None:
    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FINISH)
        finished = cursor.rowcount
        cursor.execute(NIKS)
        niks = cursor.rowcount
    if finished or niks:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE permits_application")
            cursor.execute("ANALYZE accounts_user")
        print(
            f"finished {finished:,} files, gave {niks:,} applicants a NIK "
            f"in {time.monotonic() - started:,.1f} s"
        )


def measure(requests: int) -> list[tuple[str, str, list[float], int]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from permits.models import Application

    User = get_user_model()
    finished = (
        Application.objects.filter(tracking_number__startswith=lifecycle.TRACKING_PREFIX)
        .filter(status=Application.Status.COMPLETED, applicant__email__endswith="@bench.invalid")
        .select_related("applicant", "service")
        .order_by("id")[1234]
    )
    nik, name = finished.applicant.nik, finished.applicant.full_name
    number_part = finished.tracking_number[-5:]
    front_office, officer = Client(), Client()
    front_office.force_login(User.objects.get(email=FRONT_OFFICE))
    officer.force_login(User.objects.get(email=lifecycle.DEMO_OFFICER))
    total = Application.objects.count()
    print(f"{total:,} applications; looking for {finished.tracking_number} of {name} ({nik})")

    def search(client, **params):
        def call(c):
            response = c.get("/petugas/cari/", params)
            if response.status_code == 200 and params.get("q") in (nik, number_part):
                assert finished.tracking_number in response.content.decode()
            return response

        return call

    targets = [
        ("bare Django view", "GET /bench/bare/", front_office, lambda c: c.get("/bench/bare/")),
        ("search, no filter (FO)", "GET /petugas/cari/", front_office, search(front_office)),
        ("search by NIK (FO)", "?q=<NIK>", front_office, search(front_office, q=nik)),
        (
            "search by name part (FO)",
            f"?q={name[-4:]}",
            front_office,
            search(front_office, q=name[-4:]),
        ),
        (
            "search by number part (FO)",
            f"?q={number_part}",
            front_office,
            search(front_office, q=number_part),
        ),
        (
            "finished, one service, a year (FO)",
            "?status&service&from&to",
            front_office,
            search(
                front_office,
                status="completed",
                service=finished.service.code,
                **{"from": "2025-01-01", "to": "2026-12-31"},
            ),
        ),
        ("search by name part (OPD)", f"?q={name[-4:]}", officer, search(officer, q=name[-4:])),
        ("search, no filter (OPD)", "GET /petugas/cari/", officer, search(officer)),
    ]
    results = []
    for label, route, client, call in targets:
        for _ in range(3):  # warm-up
            response = call(client)
        timings = []
        for _ in range(requests):
            begin = time.perf_counter()
            response = call(client)
            timings.append((time.perf_counter() - begin) * 1000)
        results.append((label, route, timings, response.status_code))
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--applications",
        type=int,
        default=int(os.environ.get("BENCH_APPLICATIONS", 100_000)),
        help="applications to load (default 100000, env BENCH_APPLICATIONS)",
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
    prepare()
    lifecycle.report(measure(args.requests))


if __name__ == "__main__":
    main()
