"""Where the tracking result's and the OPD inbox's time goes: cProfile around the test Client
on the lifecycle bench's database (``lifecycle.py`` loads it), with each request's queries.

Run: ``.venv/bin/python bench/page_profile.py [--applications N] [--requests R] [--top K]``.
Prints, per target (a first tracking lookup, a repeat lookup, the inbox after a change, the
inbox again), the median ms, the queries of one request and the functions with the most
cumulative time.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import lifecycle  # noqa: E402
from bench._common import size_arguments  # noqa: E402


def _targets():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from permits import fragments
    from permits.models import Application

    numbers = iter(
        Application.objects.filter(tracking_number__startswith=lifecycle.TRACKING_PREFIX)
        .order_by("?")
        .values_list("tracking_number", flat=True)[:2000]
    )
    anonymous, officer = Client(), Client()
    officer.force_login(get_user_model().objects.get(email=lifecycle.DEMO_OFFICER))
    repeat = next(numbers)

    def lookup(number):
        return anonymous.post("/lacak/", {"nomor": number, "kode": lifecycle.ACCESS_CODE})

    def inbox_changed():
        fragments.bump(fragments.ALL_QUEUES)  # as a task save does
        return officer.get("/petugas/")

    return [
        ("bare view", lambda: anonymous.get("/bench/bare/")),
        ("tracking, first lookup", lambda: lookup(next(numbers))),
        ("tracking, repeat lookup", lambda: lookup(repeat)),
        ("inbox after a change", inbox_changed),
        ("inbox again", lambda: officer.get("/petugas/")),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser, requests=100)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    url = lifecycle.bench_database_url()
    lifecycle.create_database(url)
    lifecycle.setup_django(url)
    lifecycle.load(args.applications)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from permits.lifecycle_api import TrackingThrottle

    TrackingThrottle.allow_request = lambda self, request, view: True
    bare = None
    for label, call in _targets():
        for _ in range(3):
            call()
        with CaptureQueriesContext(connection) as queries:
            call()
        profile, timings = cProfile.Profile(), []
        for _ in range(args.requests):
            begin = time.perf_counter()
            profile.enable()
            call()
            profile.disable()
            timings.append((time.perf_counter() - begin) * 1000)
        median = statistics.median(timings)
        bare = bare or median
        print(
            f"\n== {label}: median {median:.2f} ms ({median / bare:.1f}x bare, profiled), ", end=""
        )
        print(f"{len(queries)} queries")
        for query in queries.captured_queries:
            print("   ", query["sql"][:150])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print("\n".join(out.getvalue().splitlines()[6:]))


if __name__ == "__main__":
    main()
