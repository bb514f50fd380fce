"""Self-registration of applicants: the account with its recorded consent, and the signed
email-verification link that unlocks submitting applications."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from sop_portal import audit, links, outbox

from .models import Consent, User

#: Bump when the text of the privacy notice changes: consents record the version they saw.
PRIVACY_NOTICE_VERSION = "2026-11"
VERIFY_SALT = "accounts.verify-email"


def verification_max_age() -> int:
    return settings.EMAIL_VERIFICATION_MAX_AGE


def register(
    *, email: str, full_name: str, phone: str, nik: str, password: str, language: str = ""
) -> User:
    """A new, unverified applicant account with the consent to the current privacy notice,
    reading the portal in ``language`` (the one they signed up in)."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            phone=phone,
            nik=nik,
            email_verified=False,
            language=preferred_language(language),
        )
        consent = Consent.objects.create(user=user, notice_version=PRIVACY_NOTICE_VERSION)
        audit.record(
            "accounts.user.registered",
            user,
            actor=user,
            after={"notice_version": consent.notice_version},
        )
    return user


def preferred_language(code: str) -> str:
    """``code`` if the portal speaks it, else the portal's language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def verification_token(user: User) -> str:
    # The email is part of the token: a link stops working if the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


def send_verification(user: User, request) -> None:
    """Email ``user`` the link that verifies their address, in the language of the page they
    are on, through the outbox (sent by the worker once the caller's transaction commits)."""
    link = links.absolute(reverse("permits:verify_email", args=[verification_token(user)]))
    context = {"user": user, "link": link, "days": verification_max_age() // 86400}
    outbox.queue_templated_mail(
        user.email,
        "registration/verify_email",
        context,
        kind="verify_email",
        language=translation.get_language(),
    )


def verify(token: str) -> User | None:
    """The user whose address ``token`` verifies (now marked verified), or None for a bad or
    expired link."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=verification_max_age())
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        return None
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit.record("accounts.user.email_verified", user, actor=user)
    return user
