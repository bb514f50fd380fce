"""How long an issued permit is valid and where it stands today (valid, expiring, expired,
suspended, revoked, replaced), and the validity sweep: reminders to the holder before expiry
(``settings.PERMIT_EXPIRY_REMINDER_DAYS``, default 90 and 30 days) and the notice on the day
it expires, each sent once (marks on the permit, set in the transaction that writes the notice).

Expiry is read from the date, never stored as a state: a permit is expired from the day after
its ``valid_until`` (WITA), so the verification page is right even before the sweep runs."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import IssuedDocument

VALID, EXPIRING, EXPIRED = "valid", "expiring", "expired"
LABELS = {
    VALID: gettext_lazy("Valid"),
    EXPIRING: gettext_lazy("Valid, expiring soon"),
    EXPIRED: gettext_lazy("Expired"),
    IssuedDocument.Status.SUSPENDED: gettext_lazy("Suspended"),
    IssuedDocument.Status.REVOKED: gettext_lazy("Revoked"),
    IssuedDocument.Status.REPLACED: gettext_lazy("Replaced"),
}


def today() -> date:
    """Today in the portal's time zone (WITA)."""
    return timezone.localdate()


def standing(issued: IssuedDocument, on: date | None = None) -> str:
    """``revoked``/``suspended``/``replaced`` (its state), else ``expired`` past its last valid
    day, ``expiring`` within the first reminder's window, ``valid``."""
    if issued.status != IssuedDocument.Status.VALID:
        return issued.status
    on = on or today()
    if issued.valid_until is None:
        return VALID
    if on > issued.valid_until:
        return EXPIRED
    window = max(settings.PERMIT_EXPIRY_REMINDER_DAYS, default=0)
    return EXPIRING if (issued.valid_until - on).days <= window else VALID


def standing_label(issued: IssuedDocument, on: date | None = None) -> str:
    return str(LABELS[standing(issued, on)])


def _notify(issued: IssuedDocument, message, **values) -> None:
    from .notifications import notify_holder

    notify_holder(issued, message, **values)


def _due_reminders(on: date):
    """Valid permits with a reminder due: within a reminder's window, not yet expired."""
    days = settings.PERMIT_EXPIRY_REMINDER_DAYS
    if not days:
        return IssuedDocument.objects.none()
    return IssuedDocument.objects.filter(
        kind=IssuedDocument.Kind.PERMIT,
        status=IssuedDocument.Status.VALID,
        valid_until__gte=on,
        valid_until__lte=on + timedelta(days=max(days)),
    )


def sweep(on: date | None = None) -> dict[str, int]:
    """Send the reminders and expiry notices due ``on`` (today): idempotent, each once. Rows
    are locked (``SKIP LOCKED``) so two sweeps never send the same reminder."""
    on = on or today()
    sent = {"reminders": 0, "expired": 0}
    days = sorted(settings.PERMIT_EXPIRY_REMINDER_DAYS)
    with transaction.atomic():
        rows = (
            _due_reminders(on)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("application__applicant")
        )
        for issued in rows:
            left = (issued.valid_until - on).days
            due = [d for d in days if left <= d and d not in issued.reminders_sent]
            if not due:
                continue
            # One notice for the nearest threshold; the wider ones passed are marked too.
            issued.reminders_sent = sorted({*issued.reminders_sent, *due}, reverse=True)
            issued.save(update_fields=["reminders_sent"])
            _notify(
                issued,
                gettext_lazy(
                    "Your permit %(number)s expires on %(date)s (in %(days)s days). "
                    "Apply for its renewal in time."
                ),
                number=issued.number,
                date=issued.valid_until,
                days=left,
            )
            sent["reminders"] += 1
        expired = (
            IssuedDocument.objects.filter(
                kind=IssuedDocument.Kind.PERMIT,
                status=IssuedDocument.Status.VALID,
                valid_until__lt=on,
                expiry_notified_at__isnull=True,
            )
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("application__applicant")
        )
        for issued in expired:
            issued.expiry_notified_at = timezone.now()
            issued.save(update_fields=["expiry_notified_at"])
            _notify(
                issued,
                gettext_lazy("Your permit %(number)s expired on %(date)s."),
                number=issued.number,
                date=issued.valid_until,
            )
            sent["expired"] += 1
    return sent
