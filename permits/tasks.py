"""Background work of the permits app: thin Celery tasks that take ids.

``acks_late``: a worker killed while running the task leaves the message to be delivered
again, which is safe because sending is idempotent (``sop_portal.outbox``: a row marked sent is
never sent again)."""

from celery import shared_task

from sop_portal.outbox import deliver

from .outbox import NOTICES


@shared_task(name="permits.tasks.send_notification_emails", ignore_result=True, acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Mail the notices ``notification_ids`` not mailed yet. Returns how many were sent."""
    return deliver(NOTICES, notification_ids)


@shared_task(name="permits.tasks.sweep_permit_validity", ignore_result=True)
def sweep_permit_validity() -> dict:
    """Expiry reminders and notices of issued permits, each once; signed files left by a
    rolled-back issuing removed."""
    from . import issuing, validity

    sent = validity.sweep()
    sent["orphans_removed"] = issuing.remove_orphan_files()
    return sent
