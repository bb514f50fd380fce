"""Background work of the permits app: thin Celery tasks that take ids.

The outbox tasks are ``acks_late``: a worker killed while running one leaves the message to be
delivered again, which is safe because sending is idempotent (``permits.outbox``: a row marked
sent is never sent again)."""

from celery import shared_task

from . import outbox


@shared_task(name="permits.tasks.send_notification_emails", ignore_result=True, acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Mail the notices ``notification_ids`` not mailed yet. Returns how many were sent."""
    return outbox.deliver(outbox.NOTICES, notification_ids)


@shared_task(name="permits.tasks.send_outgoing_mail", ignore_result=True, acks_late=True)
def send_outgoing_mail(mail_ids: list[int]) -> int:
    """Send the outbox mails ``mail_ids`` not sent yet. Returns how many were sent."""
    return outbox.deliver(outbox.MAILS, mail_ids)


@shared_task(name="permits.tasks.sweep_outbox", ignore_result=True, acks_late=True)
def sweep_outbox() -> int:
    """Send what was left unsent (beat, every minute). Returns how many were sent."""
    return outbox.sweep()
