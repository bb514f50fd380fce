"""The outbox: every e-mail the portal sends is first a row in the database, written in the
transaction of the change it tells about, and sent by the worker from the unsent rows.

Two tables hold it. A portal notice (``Notification``) *is* its own outbox row: it is mailed
with the notice template and marked ``emailed_at``; notices are written set-based (``INSERT …
SELECT`` in the sweeps), so a second table there would double every write. Mail that is not a
notice, or needs its own template (a verification link, a reply to an anonymous complainant's
address, the survey invitation), is an ``OutgoingMail`` row rendered when queued and marked
``sent_at``.

Sending is row by row: each row is locked (``SELECT … FOR UPDATE SKIP LOCKED``, so two workers,
or a worker and the sweep, never take the same row), sent, and marked sent in the same
transaction. A row marked sent is never sent again; a worker killed mid-send leaves its row
unmarked (its transaction rolls back) and the next run sends it. The one window left is
between the mail server accepting a message and the commit (milliseconds): a crash exactly
there sends that one message twice, which no outbox can avoid without the mail server's help;
each message carries a Message-ID derived from its row, the same on a resend, so mail clients
and servers can recognise the copy.

The tasks are enqueued after commit (``sop_portal.tasking``: a broker error is logged, never
raised into the request), and beat runs :func:`sweep` every minute for the rows whose task was
lost (broker down, worker killed before it acked, a message parked in an unacked queue)."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sop_portal import links, tasking

from .models import Notification, OutgoingMail

log = logging.getLogger(__name__)

#: Ids per send task: a sweep after downtime writes thousands of notices at once.
EMAIL_BATCH = 500
#: Consecutive failed sends after which a run stops (the mail server is down, not one row bad).
MAX_FAILURES_IN_A_ROW = 3


@dataclass(frozen=True)
class Box:
    """One outbox table: its unsent rows, how a row becomes a message and is marked sent."""

    unsent: Callable[[], models.QuerySet]
    message: Callable[[models.Model], EmailMessage]
    mark_sent: Callable[[models.Model], None]
    label: str


def _message_id(label: str, row: models.Model) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{label}.{row.pk}.{row.created_at:%Y%m%d%H%M%S}@{domain}>"


def _unsent_notices() -> models.QuerySet:
    return (
        Notification.objects.filter(emailed_at__isnull=True)
        .exclude(recipient__email="")
        # A notice whose mail is an OutgoingMail (its own template) is mailed there.
        .exclude(mails__isnull=False)
        .select_related("recipient", "application")
    )


def _notice_message(notice: Notification) -> EmailMessage:
    context = {"notification": notice, "link": links.absolute(notice.link)}
    # Mailed in the portal's language (Indonesian): the templates are written in it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("permits/email/notification_subject.txt", context)
        body = render_to_string("permits/email/notification.txt", context)
    return EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [notice.recipient.email],
        headers={"Message-ID": _message_id("notice", notice)},
    )


def _mark_notice(notice: Notification) -> None:
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["emailed_at"])


def _mail_message(mail: OutgoingMail) -> EmailMessage:
    return EmailMessage(
        mail.subject, mail.body, None, [mail.to], headers={"Message-ID": _message_id("mail", mail)}
    )


def _mark_mail(mail: OutgoingMail) -> None:
    now = timezone.now()
    mail.sent_at = now
    mail.save(update_fields=["sent_at"])
    if mail.notification_id:
        Notification.objects.filter(pk=mail.notification_id, emailed_at__isnull=True).update(
            emailed_at=now
        )


NOTICES = Box(_unsent_notices, _notice_message, _mark_notice, "notice")


def _unsent_mails() -> models.QuerySet:
    return OutgoingMail.objects.filter(sent_at__isnull=True)


MAILS = Box(_unsent_mails, _mail_message, _mark_mail, "mail")


def deliver(
    box: Box,
    ids: Iterable[int] | None = None,
    *,
    created_before=None,
    limit: int | None = None,
) -> int:
    """Send the unsent rows of ``box`` (only ``ids`` if given; only those created before
    ``created_before`` if given; at most ``limit``), each locked, sent and marked in one
    transaction. Returns how many were sent."""
    queryset = box.unsent()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    if created_before is not None:
        queryset = queryset.filter(created_at__lt=created_before)
    sent, failures, failed = 0, 0, set()
    # One connection to the mail server for the run, opened at the first row (an empty sweep
    # every minute does not dial the server) and again after a failure.
    connection, opened = get_connection(), False
    try:
        while limit is None or sent < limit:
            with transaction.atomic():
                row = (
                    queryset.exclude(pk__in=failed)
                    .order_by("pk")
                    .select_for_update(skip_locked=True, of=("self",))
                    .first()
                )
                if row is None:
                    break
                try:
                    message = box.message(row)
                    if not opened:
                        connection.open()
                        opened = True
                    message.connection = connection
                    message.send()
                except Exception:
                    # Left unsent for the next run; this run goes on with the other rows
                    # unless the server itself is failing.
                    log.exception("Could not mail %s %s", box.label, row.pk)
                    failed.add(row.pk)
                    failures += 1
                    _close(connection)
                    opened = False
                    if failures >= MAX_FAILURES_IN_A_ROW:
                        break
                    continue
                box.mark_sent(row)
            failures = 0
            sent += 1
    finally:
        if opened:
            _close(connection)
    return sent


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        log.warning("Could not close the mail connection", exc_info=True)


def mail_notices_on_commit(ids: list[int]) -> None:
    """Once the transaction commits, queue the e-mails of the notices ``ids``: one task per
    :data:`EMAIL_BATCH`. A broker that is down is logged (the sweep sends them later)."""
    if not ids:
        return
    from .tasks import send_notification_emails

    batches = [(ids[start : start + EMAIL_BATCH],) for start in range(0, len(ids), EMAIL_BATCH)]
    transaction.on_commit(lambda: tasking.enqueue_many(send_notification_emails, batches))


def queue_mail(
    to: str,
    subject: str,
    body: str,
    *,
    kind: str = "",
    notification: Notification | None = None,
) -> OutgoingMail:
    """Put one e-mail in the outbox (in the caller's transaction) and have the worker send it
    once that commits. ``notification``: the portal notice this mail stands for."""
    mail = OutgoingMail.objects.create(
        to=to,
        subject=" ".join(subject.split()),
        body=body,
        kind=kind,
        notification=notification,
    )
    from .tasks import send_outgoing_mail

    tasking.enqueue_on_commit(send_outgoing_mail, [mail.pk])
    return mail


def queue_templated_mail(
    to: str,
    template: str,
    context: dict,
    *,
    kind: str = "",
    notification: Notification | None = None,
    language: str | None = None,
) -> OutgoingMail:
    """:func:`queue_mail` with the subject and body rendered from ``{template}_subject.txt``
    and ``{template}.txt``, in ``language`` (default: the portal's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return queue_mail(to, subject, body, kind=kind, notification=notification)


def retry_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_RETRY_AFTER)


def sweep(limit: int | None = None) -> int:
    """Send every row of both boxes left unsent for :func:`retry_after` (younger ones are
    still on their way through their own task). Returns how many were sent."""
    before = timezone.now() - retry_after()
    sent = deliver(MAILS, created_before=before, limit=limit)
    return sent + deliver(NOTICES, created_before=before, limit=limit)


def oldest_unsent() -> datetime | None:
    """When the oldest row still waiting in either box was written (``/health/``)."""
    times = [
        NOTICES.unsent().order_by("created_at").values_list("created_at", flat=True).first(),
        MAILS.unsent().order_by("created_at").values_list("created_at", flat=True).first(),
    ]
    times = [t for t in times if t is not None]
    return min(times) if times else None
