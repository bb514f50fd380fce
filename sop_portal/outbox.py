"""The outbox: every e-mail the portal sends is first a row in the database, written in the
transaction of the change it tells about, and sent by the worker from the unsent rows.

Two tables hold it, each a :class:`Box`. A portal notice (``permits.Notification``) *is* its
own outbox row: it is mailed with the notice template and marked ``emailed_at``
(``permits.outbox`` registers that box); notices are written set-based (``INSERT … SELECT`` in
the sweeps), so a second table there would double every write. Mail that is not a notice, or
needs its own template (a verification link, a reply to an anonymous complainant's address,
the survey invitation), is an :class:`~sop_portal.models.OutgoingMail` row rendered when
queued and marked ``sent_at``; it lives here, below every app, so that ``accounts`` can queue
its verification mail too. Every later channel is one more box.

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

from . import tasking
from .models import OutgoingMail

log = logging.getLogger(__name__)

#: Consecutive failed sends after which a run stops (the mail server is down, not one row bad).
MAX_FAILURES_IN_A_ROW = 3


@dataclass(frozen=True)
class Box:
    """One outbox table: its unsent rows (a query on the table alone, so that locking the
    next one is an index lookup), the relations a row is read with once locked, how it
    becomes a message (None: nothing to send, e.g. no address) and is marked sent."""

    unsent: Callable[[], models.QuerySet]
    message: Callable[[models.Model], EmailMessage | None]
    mark_sent: Callable[[models.Model], None]
    label: str
    related: tuple[str, ...] = ()


_boxes: dict[str, Box] = {}


def register(box: Box) -> Box:
    """Add ``box`` to what :func:`sweep` and :func:`oldest_unsent` cover (an app's box, at
    import of its outbox module)."""
    _boxes[box.label] = box
    return box


def message_id(label: str, row: models.Model) -> str:
    """A Message-ID derived from the row: the same on a resend of the same row."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{label}.{row.pk}.{row.created_at:%Y%m%d%H%M%S}@{domain}>"


def _unsent_mails() -> models.QuerySet:
    return OutgoingMail.objects.filter(sent_at__isnull=True)


def _mail_message(mail: OutgoingMail) -> EmailMessage:
    return EmailMessage(
        mail.subject, mail.body, None, [mail.to], headers={"Message-ID": message_id("mail", mail)}
    )


def _mark_mail(mail: OutgoingMail) -> None:
    mail.sent_at = timezone.now()
    mail.save(update_fields=["sent_at"])


MAILS = register(Box(_unsent_mails, _mail_message, _mark_mail, "mail"))


def deliver(
    box: Box,
    ids: Iterable[int] | None = None,
    *,
    created_before=None,
    limit: int | None = None,
) -> int:
    """Send the unsent rows of ``box`` (those of ``ids``' range if given; only those created
    before ``created_before`` if given; at most ``limit``), each locked, sent and marked in one
    transaction. Returns how many were sent."""
    queryset = box.unsent()
    if ids is not None:
        ids = list(ids)
        if not ids:
            return 0
        # The batch's id range rather than its list: a list of 500 ids costs more to plan
        # than the send, and any unsent row in the range is due anyway (sending is
        # idempotent, and a row of a transaction not yet committed is not visible).
        queryset = queryset.filter(pk__gte=min(ids), pk__lte=max(ids))
    if created_before is not None:
        queryset = queryset.filter(created_at__lt=created_before)
    sent, failures, last = 0, 0, 0
    # One connection to the mail server for the run, opened at the first row (an empty sweep
    # every minute does not dial the server) and again after a failure.
    connection, opened = get_connection(), False
    try:
        while limit is None or sent < limit:
            with transaction.atomic():
                # In id order from where the last row was taken: each query starts at the
                # next candidate instead of stepping over the rows already sent. A row
                # skipped because another worker holds it is that worker's to send.
                pk = (
                    queryset.filter(pk__gt=last)
                    .order_by("pk")
                    .select_for_update(skip_locked=True)
                    .values_list("pk", flat=True)
                    .first()
                )
                if pk is None:
                    break
                last = pk
                row = queryset.model.objects.select_related(*box.related).get(pk=pk)
                try:
                    message = box.message(row)
                    if message is None:
                        continue
                    if not opened:
                        connection.open()
                        opened = True
                    message.connection = connection
                    message.send()
                except Exception:
                    # Left unsent for the next run; this run goes on with the other rows
                    # unless the server itself is failing.
                    log.exception("Could not mail %s %s", box.label, row.pk)
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


def queue_mail(
    to: str,
    subject: str,
    body: str,
    *,
    kind: str = "",
) -> OutgoingMail:
    """Put one e-mail in the outbox (in the caller's transaction) and have the worker send it
    once that commits."""
    # One line, and never longer than the column (a database error here would fail the
    # caller's transaction over a subject).
    subject = " ".join(subject.split())[: OutgoingMail._meta.get_field("subject").max_length]
    mail = OutgoingMail.objects.create(to=to, subject=subject, body=body, kind=kind)
    from .tasks import send_outgoing_mail

    tasking.enqueue_on_commit(send_outgoing_mail, [mail.pk])
    return mail


def queue_templated_mail(
    to: str,
    template: str,
    context: dict,
    *,
    kind: str = "",
    language: str | None = None,
) -> OutgoingMail:
    """:func:`queue_mail` with the subject and body rendered from ``{template}_subject.txt``
    and ``{template}.txt``, in ``language`` (default: the portal's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return queue_mail(to, subject, body, kind=kind)


def retry_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_RETRY_AFTER)


def sweep(limit: int | None = None) -> int:
    """Send every row of every box left unsent for :func:`retry_after` (younger ones are
    still on their way through their own task). Returns how many were sent."""
    before = timezone.now() - retry_after()
    return sum(deliver(box, created_before=before, limit=limit) for box in list(_boxes.values()))


def oldest_unsent() -> datetime | None:
    """When the oldest row still waiting in any box was written (``/health/``)."""
    times = [
        box.unsent().order_by("created_at").values_list("created_at", flat=True).first()
        for box in list(_boxes.values())
    ]
    times = [t for t in times if t is not None]
    return min(times) if times else None
