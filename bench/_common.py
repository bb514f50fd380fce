"""What the benchmarks share: their size arguments, a fresh database of their own, and the
timing loop of the request benchmarks (warm-up, then timed calls, in one process)."""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent


def size_arguments(parser: argparse.ArgumentParser, *, requests: int) -> None:
    """``--applications`` (default 100,000, env ``BENCH_APPLICATIONS``) and ``--requests``
    (``requests``, env ``BENCH_REQUESTS``), as every request benchmark takes them."""
    parser.add_argument(
        "--applications",
        type=int,
        default=int(os.environ.get("BENCH_APPLICATIONS", 100_000)),
        help="applications to load if missing (default 100000, env BENCH_APPLICATIONS)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=int(os.environ.get("BENCH_REQUESTS", requests)),
        help=f"timed requests per target (default {requests}, env BENCH_REQUESTS)",
    )


def fresh_database(url: str) -> None:
    """Drop and create the database of ``url`` (a benchmark's own: never point it at a real
    one), set Django up on it and migrate it."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
    os.environ.setdefault("SOP_PORTAL_VAR_DIR", f"/tmp/{name}-var")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Timed(NamedTuple):
    """One target's measures: wall milliseconds per request, this process's CPU milliseconds
    per request (``time.process_time``: steadier than the wall time on a loaded machine; the
    database server's own CPU is not in it) and the queries per request."""

    label: str
    route: str
    timings: list[float]
    status_code: int
    cpu: list[float]
    queries: float


def lift_api_throttles() -> None:
    """The API's anonymous and per-user rates off, in this process only: a bench calls one
    endpoint hundreds of times a minute, and a 429 would time the refusal instead of the
    page (``sop_portal.throttles`` reads the rates at each request; None lifts a scope)."""
    from django.conf import settings

    rates = settings.REST_FRAMEWORK.setdefault("DEFAULT_THROTTLE_RATES", {})
    rates["anon"] = rates["user"] = None


class _QueryCount:
    """A database execute wrapper counting the statements run through it."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def time_targets(targets, requests: int, *, warmup: int = 3, suffix: str = "") -> list[Timed]:
    """Each ``(label, route, client, call)`` of ``targets``: ``warmup`` calls, then
    ``requests`` timed ones (``call(client)`` returns the response). Gives a :class:`Timed`
    per target (wall and CPU ms per request, queries per request), as ``lifecycle.report``
    prints them."""
    from django.db import connection

    lift_api_throttles()
    results = []
    for label, route, client, call in targets:
        for _ in range(warmup):
            response = call(client)
        timings, cpu, count = [], [], _QueryCount()
        with connection.execute_wrapper(count):
            for _ in range(requests):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                response = call(client)
                cpu.append((time.process_time() - begin_cpu) * 1000)
                timings.append((time.perf_counter() - begin) * 1000)
        results.append(
            Timed(
                label + suffix,
                route,
                timings,
                response.status_code,
                cpu,
                count.queries / max(requests, 1),
            )
        )
    return results


@contextmanager
def triggers_off():
    """Bulk loading with the database's triggers off (the monitoring facts' row triggers
    cost milliseconds per changed row): ``session_replication_role = replica``, a superuser's
    setting, so on the bench's own server only; elsewhere the block runs with them on. Yields
    whether they were off (the facts then need ``rebuild_facts`` if something reads them)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        off = True
    except Exception:  # not a superuser: load with the triggers on
        connection.close()
        off = False
    try:
        yield off
    finally:
        if off:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")
