"""The lifecycle benchmark: loads N applications (100,000 by default) with their tasks and step
events into a separate PostgreSQL database, then times the public tracking page, an OPD inbox
and the applicant's list, next to a bare Django view, in one process (Django's test Client).

Run: ``.venv/bin/python bench/lifecycle.py [--applications N] [--requests R]`` (see README.md).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import size_arguments, time_targets  # noqa: E402

ACCESS_CODE = "BENCH234"
TRACKING_PREFIX = "BENCH-"
BATCH = 5000
DEMO_APPLICANT = "pemohon@demo.sopportal.invalid"
DEMO_OFFICER = "opd.dishub@demo.sopportal.invalid"


def bare(request):
    """The baseline: a Django view that does nothing."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def __getattr__(name: str):
    # This module is also the bench's urlconf: the project's URLs plus the bare view, built
    # only when Django asks for them (settings are configured by then).
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("bench/bare/", bare), path("", include("sop_portal.urls"))]
    raise AttributeError(name)


# --- database -------------------------------------------------------------------------------


def bench_database_url() -> str:
    """``BENCH_DATABASE_URL``, else ``DATABASE_URL`` (or the local server) with the database
    ``sop_portal_bench``."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    base = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    return urlunsplit(base._replace(path="/sop_portal_bench"))


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.lifecycle"


# --- loading --------------------------------------------------------------------------------


def _route(service, version):
    """The first two steps (done) and the step the file waits at (open) with its agency."""
    from workflows.models import PerformerRole

    steps = sorted(version.steps.select_related("performer__agency"), key=lambda s: s.no)
    waiting = next((s for s in steps[2:] if s.performer.for_technical), steps[2])

    def agency(step):
        if step.performer.role == PerformerRole.APPLICANT:
            return None
        if step.performer.for_technical:
            return service.technical_agencies.order_by("code").first()
        return step.performer.agency

    return [(s, agency(s)) for s in (steps[0], steps[1], waiting)]


def load(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from permits import numbering
    from permits.models import Application, Service
    from workflows.models import StepEvent, Task

    call_command("migrate", verbosity=0)
    User = get_user_model()
    if not User.objects.filter(email=DEMO_APPLICANT).exists():
        print("seeding the demo data...")
        # DEBUG is off for a fair measure; the bench database is a demo database.
        call_command("seed_demo", force=True, verbosity=0)
    have = Application.objects.filter(tracking_number__startswith=TRACKING_PREFIX).count()
    if have >= n:
        print(f"{have} bench applications already loaded")
        return
    if not User.objects.filter(email__endswith="@bench.invalid").exists():
        User.objects.bulk_create(
            [
                User(email=f"pemohon{i}@bench.invalid", full_name=f"Pemohon {i}", password="!")
                for i in range(5000)
            ],
            batch_size=BATCH,
        )
    applicants = list(
        User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True)
    )
    demo = User.objects.get(email=DEMO_APPLICANT)
    services = [s for s in Service.objects.filter(sop__isnull=False) if s.published_sop]
    routes = {s.pk: (s.published_sop, _route(s, s.published_sop)) for s in services}
    rng = random.Random(42)
    started = time.monotonic()
    now = timezone.now()
    for start in range(have, n, BATCH):
        stop = min(start + BATCH, n)
        with transaction.atomic():
            apps = []
            for i in range(start, stop):
                service = services[i % len(services)]
                number = f"{TRACKING_PREFIX}{i:07d}"
                apps.append(
                    Application(
                        tracking_number=number,
                        service=service,
                        sop_version=routes[service.pk][0],
                        applicant_id=demo.pk if i % 500 == 0 else rng.choice(applicants),
                        status=Application.Status.IN_PROGRESS,
                        submitted_at=now - timedelta(minutes=n - i),
                        access_code_hash=numbering.hash_access_code(number, ACCESS_CODE),
                    )
                )
            Application.objects.bulk_create(apps, batch_size=BATCH)
            tasks = []
            for app in apps:
                at = app.submitted_at
                for position, (step, agency) in enumerate(routes[app.service_id][1]):
                    done = position < 2
                    tasks.append(
                        Task(
                            application=app,
                            step=step,
                            agency=agency,
                            role=step.performer.role,
                            cycle=1,
                            status=Task.Status.DONE if done else Task.Status.OPEN,
                            outcome="yes" if done and step.symbol == "decision" else "",
                            opened_at=at + timedelta(minutes=position),
                            completed_at=at + timedelta(minutes=position + 1) if done else None,
                            completed_by_id=app.applicant_id if position == 0 else None,
                        )
                    )
            Task.objects.bulk_create(tasks, batch_size=BATCH)
            events = []
            for task in tasks:
                events.append(
                    StepEvent(
                        application=task.application, task=task, kind="started", at=task.opened_at
                    )
                )
                if task.completed_at:
                    events.append(
                        StepEvent(
                            application=task.application,
                            task=task,
                            kind="ended",
                            at=task.completed_at,
                        )
                    )
            StepEvent.objects.bulk_create(events, batch_size=BATCH)
        done = stop - have
        rate = done / (time.monotonic() - started)
        print(f"\rloaded {stop}/{n} applications ({rate:,.0f}/s)", end="", flush=True)
    print(f"\nloaded in {time.monotonic() - started:,.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring ------------------------------------------------------------------------------


def measure(requests: int) -> list[tuple[str, str, list[float], int]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from permits.lifecycle_api import TrackingThrottle
    from permits.models import Application, Service
    from workflows.models import Task

    # The API's tracking throttle (30 a minute per address) would answer most timed requests
    # with 429; the bench measures the lookup itself.
    TrackingThrottle.allow_request = lambda self, request, view: True
    User = get_user_model()
    applicant = User.objects.get(email=DEMO_APPLICANT)
    officer = User.objects.get(email=DEMO_OFFICER)
    numbers = list(
        Application.objects.filter(tracking_number__startswith=TRACKING_PREFIX)
        .order_by("?")
        .values_list("tracking_number", flat=True)[: requests + 20]
    )
    anonymous, as_applicant, as_officer = Client(), Client(), Client()
    as_applicant.force_login(applicant)
    as_officer.force_login(officer)
    inbox_size = Task.objects.actionable_by(officer).count()
    own = Application.objects.filter(applicant=applicant).count()
    tracked = iter(numbers * 2)
    # The service page of a service with a published SOP (the catalogue's first one).
    service_code = next(s.code for s in Service.objects.order_by("code") if s.published_sop)

    def track_page(client):
        return client.post("/lacak/", {"nomor": next(tracked), "kode": ACCESS_CODE})

    def track_again(client):
        # A citizen checking their own file again (the common case: people look up the same
        # number day after day): the result comes from its fragment until the file changes.
        return client.post("/lacak/", {"nomor": numbers[0], "kode": ACCESS_CODE})

    def track_api(client):
        return client.post(
            "/api/v1/tracking/",
            {"tracking_number": next(tracked), "access_code": ACCESS_CODE},
            content_type="application/json",
        )

    targets = [
        ("bare Django view", "GET /bench/bare/", anonymous, lambda c: c.get("/bench/bare/")),
        ("service catalogue", "GET /", anonymous, lambda c: c.get("/")),
        (
            "service page",
            f"GET /layanan/{service_code}/",
            anonymous,
            lambda c: c.get(f"/layanan/{service_code}/"),
        ),
        ("public tracking page (first lookup)", "POST /lacak/", anonymous, track_page),
        ("public tracking page (repeat lookup)", "POST /lacak/", anonymous, track_again),
        ("public tracking API", "POST /api/v1/tracking/", anonymous, track_api),
        (
            f"OPD inbox ({inbox_size:,} tasks)",
            "GET /petugas/",
            as_officer,
            lambda c: c.get("/petugas/"),
        ),
        ("OPD inbox API", "GET /api/v1/tasks/", as_officer, lambda c: c.get("/api/v1/tasks/")),
        (
            f"applicant's list ({own} files)",
            "GET /permohonan/",
            as_applicant,
            lambda c: c.get("/permohonan/"),
        ),
        (
            "applicant's list API",
            "GET /api/v1/applications/",
            as_applicant,
            lambda c: c.get("/api/v1/applications/"),
        ),
    ]
    return time_targets(targets, requests, warmup=5)


def report(results, goal: int = 15) -> None:
    """Median and p95 wall ms, median CPU ms (this process) and queries per request; then each
    median as a multiple of the bare view's, by wall and by CPU time (the steadier figure when
    the machine is loaded)."""
    print()
    print(
        f"{'target':<36} {'route':<28} {'status':>6} {'median ms':>10} {'p95 ms':>8}"
        f" {'cpu ms':>7} {'queries':>7}"
    )
    print("-" * 108)
    for r in results:
        median = statistics.median(r.timings)
        p95 = statistics.quantiles(r.timings, n=20)[-1]
        print(
            f"{r.label:<36} {r.route:<28} {r.status_code:>6} {median:>10.1f} {p95:>8.1f}"
            f" {statistics.median(r.cpu):>7.2f} {r.queries:>7.1f}"
        )
    bare_median = statistics.median(results[0].timings)
    bare_cpu = statistics.median(results[0].cpu)
    print()
    print(f"load average: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"Each target's median as a multiple of the bare view's (the goal: at most {goal}x):")
    print(f"  {'':<36} {'wall':>7} {'cpu':>7}")
    for r in results[1:]:
        wall = statistics.median(r.timings) / bare_median
        cpu = statistics.median(r.cpu) / bare_cpu if bare_cpu else float("nan")
        print(f"  {r.label:<36} {wall:>6.1f}x {cpu:>6.1f}x")
    print()
    print("Server time measured in-process with Django's test Client (no network, no gunicorn);")
    print("one Python process, the same database and settings for every row. CPU: this process")
    print("only (time.process_time), not the database server's.")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser, requests=200)
    args = parser.parse_args(argv)
    url = bench_database_url()
    create_database(url)
    setup_django(url)
    load(args.applications)
    report(measure(args.requests))


if __name__ == "__main__":
    main()
