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


@shared_task(name="sop_portal.tasks.send_outgoing_mail", ignore_result=True, acks_late=True)
def send_outgoing_mail(mail_ids: list[int]) -> int:
    """Send the outbox mails ``mail_ids`` not sent yet (idempotent, so ``acks_late``)."""
    from . import outbox

    return outbox.deliver(outbox.MAILS, mail_ids)


@shared_task(name="sop_portal.tasks.sweep_outbox", ignore_result=True, acks_late=True)
def sweep_outbox() -> int:
    """Send what every outbox box left unsent (beat, every minute). Returns how many."""
    from . import outbox

    return outbox.sweep()
