"""``manage.py rebuild_facts``: recompute every monitoring fact from the source rows (after a
bulk load with triggers off, a restore, or to check them: the figures must not change)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from monitoring import facts_sql
from monitoring.models import AppFact, StepFact


class Command(BaseCommand):
    help = "Recompute the monitoring facts (dashboard, transparency) from tasks and applications."

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The facts live in PostgreSQL; this database reads raw queries.")
        started = time.monotonic()
        facts_sql.rebuild(connection)
        self.stdout.write(
            f"{StepFact.objects.count():,} step facts, {AppFact.objects.count():,} application "
            f"facts in {time.monotonic() - started:.1f} s"
        )
