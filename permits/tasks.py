"""Background work of the permits app: thin Celery tasks that take ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sop_portal import links

from .models import Notification


@shared_task(name="permits.tasks.send_notification_emails", ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Mail the notices not mailed yet (idempotent: a notice is mailed once). Returns how many
    were sent."""
    sent = 0
    notices = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient", "application")
    for notice in notices:
        if not notice.recipient.email:
            continue
        context = {"notification": notice, "link": links.absolute(notice.link)}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("permits/email/notification_subject.txt", context)
            body = render_to_string("permits/email/notification.txt", context)
        send_mail(" ".join(subject.split()), body, None, [notice.recipient.email])
        # Claimed per row so that a retried task does not mail twice.
        sent += Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return sent


@shared_task(name="permits.tasks.sweep_permit_validity", ignore_result=True)
def sweep_permit_validity() -> dict:
    """Expiry reminders and notices of issued permits, each once; signed files left by a
    rolled-back issuing removed."""
    from . import issuing, validity

    sent = validity.sweep()
    sent["orphans_removed"] = issuing.remove_orphan_files()
    return sent
