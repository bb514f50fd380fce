"""Counter service (*layanan loket*) for walk-in applicants: the front office finds a person or
registers one (NIK, name, contact, consent to the privacy notice recorded at the counter with
who and when), enters the application on their behalf with scanned documents and submits it
through the applicant's own transitions (``permits.lifecycle``: the same upload check, the same
guard, one writer), then hands over the receipt with the access code. The person claims the
account online later from an e-mailed link (:func:`claim_token`).

Who may: :func:`permits.access.may_serve_at_counter`."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Consent, User
from accounts.registration import PRIVACY_NOTICE_VERSION
from agencies.models import Membership
from sop_portal import audit, links, outbox
from workflows.engine import InvalidState, NotAllowed

from . import lifecycle
from .access import may_serve_at_counter
from .models import Application, Service

NIK_PATTERN = re.compile(r"^\d{16}$")
#: A counter search shows this many people at most: the clerk narrows it down.
SEARCH_LIMIT = 20


class CounterRefused(InvalidState):
    """Bad input at the counter (a 4xx with the message)."""


def _require_counter(by) -> None:
    if not may_serve_at_counter(by):
        raise NotAllowed(_("Only the front office serves applicants at the counter."))


def find_people(by, query: str) -> QuerySet[User]:
    """Applicants matching ``query``: the NIK or phone (digits, from the start), the e-mail
    address or the name (any part). Staff accounts are not listed."""
    _require_counter(by)
    query = (query or "").strip()[:100]
    if len(query) < 3:
        return User.objects.none()
    digits = re.sub(r"\D", "", query)
    match = Q(full_name__icontains=query) | Q(email__icontains=query)
    if len(digits) >= 3:
        match |= Q(nik__startswith=digits) | Q(phone__contains=digits)
    return (
        User.objects.filter(match, is_active=True)
        .exclude(pk__in=Membership.objects.values("user_id"))
        .exclude(is_superuser=True)
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )


def register_person(by, *, nik: str, full_name: str, email: str, phone: str, consent: bool) -> User:
    """A walk-in applicant's account, with their consent to the current privacy notice as
    recorded at the counter by ``by``. The account has no password until the person claims it
    (:func:`send_claim_link`); its e-mail address is verified by that claim."""
    _require_counter(by)
    nik = re.sub(r"\s", "", nik or "")
    full_name = " ".join((full_name or "").split())[:150]
    email = (email or "").strip().lower()
    if not NIK_PATTERN.match(nik):
        raise CounterRefused(_("The NIK has 16 digits."))
    if not full_name:
        raise CounterRefused(_("Enter the applicant's full name."))
    if not email:
        raise CounterRefused(_("Enter the applicant's e-mail address: the office writes to it."))
    if not consent:
        raise CounterRefused(
            _("The applicant must consent to the privacy notice before their data is recorded.")
        )
    if User.objects.filter(nik=nik).exists():
        raise CounterRefused(_("A person with this NIK is already registered: find them."))
    if User.objects.filter(email__iexact=email).exists():
        raise CounterRefused(_("This e-mail address belongs to another account."))
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                email=email,
                password=None,  # unusable until the person claims the account
                full_name=full_name,
                phone=(phone or "").strip()[:30],
                nik=nik,
                email_verified=False,
            )
            consent_row = Consent.objects.create(
                user=person,
                notice_version=PRIVACY_NOTICE_VERSION,
                channel=Consent.Channel.COUNTER,
                recorded_by=by,
            )
            audit.record(
                "accounts.user.registered_at_counter",
                person,
                actor=by,
                after={
                    "notice_version": consent_row.notice_version,
                    "consent_channel": consent_row.channel,
                    "entered_at_counter": True,
                    "counter_staff": str(by),
                },
            )
    except IntegrityError:  # the same person registered at two counters at once
        raise CounterRefused(_("This person was just registered: find them.")) from None
    return person


def find_person(by, pk: int) -> User | None:
    """One applicant the counter may serve (never a staff account)."""
    _require_counter(by)
    return (
        User.objects.filter(pk=pk, is_active=True, is_superuser=False)
        .exclude(pk__in=Membership.objects.values("user_id"))
        .first()
    )


def start_application(by, person: User, service: Service) -> Application:
    """The counter draft of ``person`` for ``service``, entered by ``by``."""
    _require_counter(by)
    return lifecycle.create_draft(service, person, entered_by=by)


def counter_drafts(by) -> QuerySet[Application]:
    _require_counter(by)
    return Application.objects.filter(
        entered_by__isnull=False, status=Application.Status.DRAFT
    ).select_related("service", "applicant")


# --- claiming the account online -------------------------------------------------------------


def claim_token(person: User) -> tuple[str, str]:
    """``(uidb64, token)`` of the claim link: Django's password-reset tokens, which expire after
    ``PASSWORD_RESET_TIMEOUT`` and stop working once a password is set (they hash the stored
    password and the last sign-in), so a link is good for one claim only."""
    return urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)


def claim_url(person: User) -> str:
    uidb64, token = claim_token(person)
    return links.absolute(reverse("permits:claim_account", args=[uidb64, token]))


def is_claimable(person: User) -> bool:
    return person.is_active and not person.has_usable_password()


def send_claim_link(by, person: User) -> None:
    """E-mail the person the link that lets them set a password and follow their files online
    (through the outbox, sent once the caller's transaction commits)."""
    _require_counter(by)
    if not is_claimable(person):
        raise CounterRefused(_("This account was already claimed: its owner signs in."))
    outbox.queue_templated_mail(
        person.email,
        "registration/claim_account",
        {"user": person, "link": claim_url(person)},
        kind="claim_account",
        # Indonesian first: the clerk's screen language says nothing of the applicant's.
        language=None,
    )
    audit.record("accounts.user.claim_link_sent", person, actor=by)


def person_for_claim(uidb64: str, token: str) -> User | None:
    """The claimable account a claim link stands for, or None (bad, used or expired link)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    person = User.objects.filter(pk=pk).first()
    if person is None or not is_claimable(person):
        return None
    return person if default_token_generator.check_token(person, token) else None


def claim(person: User, password: str) -> User:
    """The person sets their password from the claim link: the account is theirs, its e-mail
    address verified (they opened the link sent to it)."""
    with transaction.atomic():
        person.set_password(password)
        person.email_verified = True
        person.save(update_fields=["password", "email_verified"])
        audit.record("accounts.user.claimed", person, actor=person)
    return person
