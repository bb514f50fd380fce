"""Complaints (*pengaduan*): filing one, finding it again by number and access code, and the
staff transitions (assign, reply, change status). One function per transition: it checks the
actor, locks the row, moves the status through :data:`feedback.states.COMPLAINT` (the table of
allowed moves and their one writer), audits and schedules the notices on commit.

Response norm: ``COMPLAINT_RESPONSE_DAYS`` working days from receipt to the first public reply,
default **5**. UU 25/2009 art. 50 gives at most 14 days to answer a written complaint; the
national complaints channel SP4N-LAPOR! (PermenPANRB 62/2018, technical guide of national
complaint handling) expects an agency's follow-up within 5 working days, and service standards
published on SIPPN commonly use 2 / 5 / 14 / 60 working days by kind of complaint (e.g.
https://sippn.menpan.go.id/pelayanan-publik/8304801/kelurahan-paria/pelayanan-surat-pengantar-skck).
The clock is the portal's working calendar (``workflows.calendar``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from agencies.access import handles_complaints
from sop_portal import audit
from workflows import calendar
from workflows.durations import Duration, TimeUnit

from .models import Complaint, ComplaintReply
from .states import COMPLAINT

# What a complaint may attach (a photo or a scan): checked like every upload, by content.
ATTACHMENT_FORMATS = ("pdf", "jpg", "png")


class ComplaintError(ValidationError):
    """A complaint action refused, with a message for the person."""


class FilingLimitReached(ComplaintError):
    """Too many complaints filed from one address within the hour (pages answer 429)."""


def within_filing_limit(address: str) -> bool:
    """Count one filing from ``address``: at most ``COMPLAINT_MAX_PER_HOUR`` per address and
    hour, on the shared cache (every web process counts together). Anonymous filing invites
    floods; the limit is the domain's, so the page and the API count alike."""
    from django.core.cache import cache

    limit = settings.COMPLAINT_MAX_PER_HOUR
    key = f"feedback:filings:{address}"
    if cache.add(key, 1, 3600):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired in between
        return cache.add(key, 1, 3600) or True


def response_norm() -> Duration:
    days = int(settings.COMPLAINT_RESPONSE_DAYS)
    return Duration(days, TimeUnit.DAYS)


def due_at(received_at: datetime) -> datetime:
    return calendar.current().due(received_at, response_norm())


def hash_access_code(number: str, code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return salted_hmac("feedback.complaint_code", f"{number}:{normalised}").hexdigest()


def find_tracked(number: str, code: str) -> Complaint | None:
    """The complaint with this number if ``code`` is its access code; None otherwise (the same
    answer for a wrong number and a wrong code)."""
    number = (number or "").strip().upper()
    complaint = Complaint.objects.filter(number=number).first() if number and code else None
    expected = hash_access_code(number, code or "")
    if complaint is None or not constant_time_compare(complaint.access_code_hash, expected):
        return None
    return complaint


def linkable_application(tracking_number: str, user=None, access_code: str = ""):
    """The application a complaint may name: the complainant's own, or one whose access code
    they give. None otherwise — and the caller says the same whatever the reason, so nothing
    about someone else's application leaks."""
    from permits.models import Application
    from permits.numbering import access_code_matches

    number = (tracking_number or "").strip().upper()
    if not number:
        return None
    application = Application.objects.filter(tracking_number=number).first()
    if application is None:
        return None
    if user is not None and user.is_authenticated and application.applicant_id == user.pk:
        return application
    if access_code and access_code_matches(application, access_code):
        return application
    return None


@dataclass
class Filed:
    complaint: Complaint
    access_code: str  # shown once; only its hash is stored


def file_complaint(
    *,
    category: str,
    text: str,
    user=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    service=None,
    application=None,
    attachment=None,
    checked_upload=None,
    address: str | None = None,
) -> Filed:
    """File a complaint (anyone; ``user`` when signed in). ``application`` must already have
    been checked with :func:`linkable_application`. ``attachment`` is checked here with
    ``permits.uploads.validate_upload`` unless the caller already did (its result in
    ``checked_upload``); a refused file raises ``UploadRejected`` and files nothing. A web
    door passes the client's ``address``: past the hourly limit it raises
    :class:`FilingLimitReached` before the file is even read."""
    from permits.numbering import new_access_code, next_value
    from permits.uploads import validate_upload

    if category not in Complaint.Category.values:
        raise ComplaintError(_("Choose a category."))
    if not (text or "").strip():
        raise ComplaintError(_("Please describe your complaint."))
    if address is not None and not within_filing_limit(address):
        raise FilingLimitReached(_("Too many complaints from this connection. Try again later."))
    if attachment is not None and checked_upload is None:
        checked_upload = validate_upload(attachment, formats=ATTACHMENT_FORMATS)
    signed_in = user is not None and user.is_authenticated
    now = timezone.now()
    with transaction.atomic():
        year = timezone.localtime(now).year
        seq = next_value(f"complaint:{year}")
        number = settings.COMPLAINT_NUMBER_PATTERN.format(year=year, seq=seq)
        code = new_access_code()
        if application is not None and service is None:
            service = application.service
        complaint = Complaint(
            number=number,
            access_code_hash=hash_access_code(number, code),
            category=category,
            text=text.strip(),
            name=(name or (user.full_name if signed_in else "")).strip()[:150],
            email=(email or (user.email if signed_in else "")).strip(),
            phone=(phone or "").strip()[:30],
            complainant=user if signed_in else None,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            service=service,
            application=application,
            received_at=now,
            due_at=due_at(now),
        )
        if attachment is not None and checked_upload is not None:
            complaint.attachment_name = checked_upload.safe_name
            complaint.attachment_type = checked_upload.content_type
            complaint.attachment.save(checked_upload.storage_name, attachment, save=False)
        complaint.save()
        audit.record(
            "feedback.complaint.filed",
            complaint,
            actor=user,
            after={
                "category": category,
                "service": service.code if service else None,
                "application": application.tracking_number if application else None,
                "anonymous": not signed_in and not complaint.name,
            },
        )
    return Filed(complaint, code)


def _staff_complaint(complaint: Complaint, by) -> Complaint:
    """Lock the complaint after checking ``by`` may act on it (else 404-worthy)."""
    locked = Complaint.objects.handled_by(by).select_for_update().filter(pk=complaint.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def unit_name(user) -> str:
    """What the complainant reads as the author of a reply: a unit and role, never a person."""
    from agencies.models import Membership

    membership = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("agency")
        .order_by("agency__kind", "role")
        .first()
    )
    if membership is None:
        return _("Complaints unit")
    return f"{membership.get_role_display()} · {membership.agency.name}"


def assign(complaint: Complaint, agency, *, by, reason: str = "") -> Complaint:
    """Give the complaint to the responsible unit or agency (complaints unit only). A new
    complaint moves to *in progress*."""
    if not handles_complaints(by):
        raise PermissionDenied
    with transaction.atomic():
        locked = _staff_complaint(complaint, by)
        before = {"agency": locked.assigned_agency_id}
        after = {"agency": agency.pk if agency else None}
        if locked.status == Complaint.Status.RECEIVED:  # a new complaint: work starts
            COMPLAINT.move(
                locked,
                Complaint.Status.IN_PROGRESS,
                by=by,
                name="start",
                fields={"assigned_agency": agency},
                before=before,
                after=after,
                reason=reason,
                action="feedback.complaint.assigned",
                locked=True,
            )
        else:
            locked.assigned_agency = agency
            locked.save(update_fields=["assigned_agency"])
            audit.record(
                "feedback.complaint.assigned",
                locked,
                actor=by,
                before={**before, "status": locked.status},
                after={**after, "status": locked.status},
                reason=reason,
            )
    return locked


def reply(complaint: Complaint, text: str, *, by, public: bool = True) -> ComplaintReply:
    """Answer the complaint (``public``: the complainant reads it; else an internal note).
    The first public reply marks it *answered* and stops its response clock; the complainant
    is told by email when they gave an address."""
    text = (text or "").strip()
    if not text:
        raise ComplaintError(_("Write the reply first."))
    with transaction.atomic():
        locked = _staff_complaint(complaint, by)
        if locked.status == Complaint.Status.CLOSED:
            raise ComplaintError(_("The complaint is closed; reopen it first."))
        answer = ComplaintReply.objects.create(
            complaint=locked, text=text, is_public=public, author=by, author_unit=unit_name(by)
        )
        action = "feedback.complaint.replied" if public else "feedback.complaint.noted"
        after = {"reply": answer.pk, "public": public}
        if public and locked.status != Complaint.Status.ANSWERED:
            # The first public reply (or the first after reopening) answers the complaint and
            # stops its response clock, which counts to the first answer only.
            fields = {} if locked.answered_at else {"answered_at": timezone.now()}
            COMPLAINT.move(
                locked,
                Complaint.Status.ANSWERED,
                by=by,
                name="answer",
                fields=fields,
                after=after,
                action=action,
                locked=True,
            )
        elif not public and locked.status == Complaint.Status.RECEIVED:
            COMPLAINT.move(
                locked,
                Complaint.Status.IN_PROGRESS,
                by=by,
                name="start",
                after=after,
                action=action,
                locked=True,
            )
        else:
            audit.record(
                action,
                locked,
                actor=by,
                before={"status": locked.status},
                after={"status": locked.status, **after},
            )
        if public:
            _tell_complainant(locked, answer)
    return answer


def _tell_complainant(complaint: Complaint, answer: ComplaintReply) -> None:
    """A portal notice to a signed-in complainant, and an email to the address given (through
    the outbox, in this transaction: ``sop_portal.outbox``)."""
    from django.urls import reverse

    from permits.models import Notification
    from permits.outbox import mail_notices_on_commit
    from sop_portal import links, outbox

    track = reverse("feedback:complaint_track")
    mail = None
    signed_in = complaint.complainant_id and complaint.complainant.is_active
    # The reader's language: the account's, else the one the complaint was filed in.
    language = (
        complaint.complainant.language if signed_in else complaint.language
    ) or settings.LANGUAGE_CODE
    if complaint.email:
        mail = outbox.queue_templated_mail(
            complaint.email,
            "feedback/email/complaint_reply",
            {"complaint": complaint, "reply": answer, "link": links.absolute(track)},
            kind="complaint_reply",
            language=language,
        )
    if signed_in:
        with translation.override(language):
            text = _("Your complaint %(number)s has a reply.") % {"number": complaint.number}
        notice = Notification.objects.create(
            recipient=complaint.complainant,
            text=text,
            link=track + f"?nomor={complaint.number}",
            # The reply's own mail stands for the notice when there is one.
            mail=mail,
        )
        if mail is None:
            mail_notices_on_commit([notice.pk])


def set_status(complaint: Complaint, status: str, *, by, reason: str = "") -> Complaint:
    """Move the complaint to ``status`` (start work, close, reopen). *Answered* is reached by
    a public reply only."""
    with transaction.atomic():
        locked = _staff_complaint(complaint, by)
        if status == Complaint.Status.ANSWERED or not COMPLAINT.find(locked.status, status):
            raise ComplaintError(
                _("A complaint that is %(now)s cannot become %(new)s.")
                % {
                    "now": locked.get_status_display(),
                    "new": Complaint.Status(status).label
                    if status in Complaint.Status.values
                    else status,
                }
            )
        COMPLAINT.move(
            locked,
            status,
            by=by,
            fields={"closed_at": timezone.now() if status == Complaint.Status.CLOSED else None},
            reason=reason,
            action=f"feedback.complaint.{status}",
            locked=True,
        )
    return locked
