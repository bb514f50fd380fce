"""Benchmark of the outbox: N notices mailed through it (one locked, sent and marked row per
transaction, ``sop_portal.outbox.deliver``), next to a reference run in the same process that
sends the same N messages with no outbox (``send_messages`` in a loop), both to Django's
in-memory mail backend so that only the portal's own cost is measured.

    .venv/bin/python bench/outbox.py [--notices 2000] [--url postgres://…/sop_portal_bench_outbox]

The database is dropped and created again (never point it at a real one).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import fresh_database  # noqa: E402


def setup(url: str) -> None:
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    fresh_database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument(
        "--url", default="postgres://postgres@127.0.0.1:5432/sop_portal_bench_outbox"
    )
    args = parser.parse_args()
    setup(args.url)
    from django.core import mail
    from django.core.mail import get_connection

    from accounts.models import User
    from permits.models import Notification
    from permits.outbox import NOTICES
    from sop_portal import outbox

    users = User.objects.bulk_create(
        [User(email=f"warga{n}@contoh.id", full_name=f"Warga {n}") for n in range(args.notices)]
    )
    notices = Notification.objects.bulk_create(
        [Notification(recipient=user, text="Pengumuman layanan") for user in users]
    )
    mail.outbox = []

    started = time.perf_counter()
    sent = outbox.deliver(NOTICES, [n.pk for n in notices])
    through_outbox = time.perf_counter() - started
    assert sent == args.notices and len(mail.outbox) == args.notices

    # The reference: the same notices read in one query, rendered and sent, nothing locked
    # or marked (what the old task did minus its per-row update).
    mail.outbox = []
    connection = get_connection()
    started = time.perf_counter()
    for notice in Notification.objects.select_related("recipient", "application"):
        connection.send_messages([NOTICES.message(notice)])
    reference = time.perf_counter() - started

    print(f"{args.notices} notices")
    print(f"  through the outbox (lock, render, send, mark): {through_outbox:7.2f} s  "
          f"{args.notices / through_outbox:8.0f} /s")  # fmt: skip
    print(f"  reference (one read, render, send):             {reference:7.2f} s  "
          f"{args.notices / reference:8.0f} /s")  # fmt: skip


if __name__ == "__main__":
    main()
