"""Infrastructure tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="sop_portal.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    """Note that a worker is alive (run by beat every minute); idempotent."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=socket.gethostname(), defaults={"seen_at": timezone.now()}
    )
