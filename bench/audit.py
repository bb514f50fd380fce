"""Benchmark of the audit log's hash chain: the cost of ``sop_portal.audit.record`` (advisory
lock, read of the last hash, SHA-256, insert) next to the plain insert it was before (a
reference run in the same process, same table, same fields), each call in its own
transaction as in a request; then ``verify_chain`` over what was written, in rows per second.

    .venv/bin/python bench/audit.py [--entries 2000] [--url postgres://…/sop_portal_bench_audit]

The database is dropped and created again (never point it at a real one).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import fresh_database  # noqa: E402


def setup(url: str) -> None:
    fresh_database(url)


def plain_insert(action, obj, *, actor=None, before=None, after=None, reason=""):
    """The record() of before the chain: one INSERT, no lock, no hash."""
    from sop_portal.models import AuditEntry

    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_key=actor.pk if actor else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        reason=reason,
    )


def timed(writer, n: int, obj, actor) -> list[float]:
    from django.db import transaction

    times = []
    for i in range(n):
        start = time.perf_counter()
        with transaction.atomic():
            writer(
                "bench.object.changed",
                obj,
                actor=actor,
                before={"status": "open", "n": i},
                after={"status": "done", "n": i + 1},
                reason="Benchmark",
            )
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> float:
    median = statistics.median(times) * 1000
    p95 = statistics.quantiles(times, n=20)[-1] * 1000
    print(f"{label:<34} median {median:6.3f} ms   p95 {p95:6.3f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sop_portal_bench_audit"
        ),
    )
    args = parser.parse_args()
    setup(args.url)

    from agencies.models import Agency
    from sop_portal.audit import record, verify_chain
    from sop_portal.models import AuditEntry
    from tests.factories import UserFactory

    agency = Agency.objects.create(code="BENCH", name="Bench")
    actor = UserFactory()
    timed(record, 50, agency, actor)  # warm-up of both paths
    timed(plain_insert, 50, agency, actor)
    AuditEntry.objects.all().delete()

    print(f"{args.entries} entries, each in its own transaction:")
    reference = report(
        "plain INSERT (before the chain)", timed(plain_insert, args.entries, agency, actor)
    )
    AuditEntry.objects.all().delete()
    chained = report("record() with the chain", timed(record, args.entries, agency, actor))
    print(f"{'':<34} x{chained / reference:.2f} the plain insert")

    start = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - start
    assert result.broken is None, result
    print(
        f"verify_chain: {result.entries} entries in {elapsed:.3f} s "
        f"({result.entries / elapsed:,.0f} entries/s)"
    )


if __name__ == "__main__":
    main()
