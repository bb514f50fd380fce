"""The portal notices as a box of the outbox (``sop_portal.outbox``): a ``Notification`` is
the outbox row of its own e-mail, mailed with the notice template and marked ``emailed_at``;
a notice pointing to an ``OutgoingMail`` (``mail``) is mailed as that mail instead."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sop_portal import links, tasking
from sop_portal.outbox import Box, message_id, register

from .models import Notification

#: Ids per send task: a sweep after downtime writes thousands of notices at once.
EMAIL_BATCH = 500


def _unsent_notices() -> models.QuerySet:
    # The partial index notification_unmailed holds exactly these rows.
    return Notification.objects.filter(emailed_at__isnull=True, mail__isnull=True)


def _notice_message(notice: Notification) -> EmailMessage | None:
    if not notice.recipient.email:
        return None  # no address to mail (accounts always have one: it is the login)
    context = {"notification": notice, "link": links.absolute(notice.link)}
    # Mailed in the reader's language, as the notice itself was written (notifications.notify).
    with translation.override(notice.recipient.language or settings.LANGUAGE_CODE):
        subject = render_to_string("permits/email/notification_subject.txt", context)
        body = render_to_string("permits/email/notification.txt", context)
    return EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [notice.recipient.email],
        headers={"Message-ID": message_id("notice", notice)},
    )


def _mark_notice(notice: Notification) -> None:
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["emailed_at"])


NOTICES = register(
    Box(_unsent_notices, _notice_message, _mark_notice, "notice", ("recipient", "application"))
)


def mail_notices_on_commit(ids: list[int]) -> None:
    """Once the transaction commits, queue the e-mails of the notices ``ids``: one task per
    :data:`EMAIL_BATCH`. A broker that is down is logged (the outbox sweep sends them)."""
    if not ids:
        return
    from .tasks import send_notification_emails

    batches = [(ids[start : start + EMAIL_BATCH],) for start in range(0, len(ids), EMAIL_BATCH)]
    transaction.on_commit(lambda: tasking.enqueue_many(send_notification_emails, batches))
