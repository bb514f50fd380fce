"""Numbers the office hands out: tracking numbers, billing numbers and the numbers of issued
documents, each from a per-year sequence that concurrent transactions never share, and the
short public access code of an application."""

import base64
import hashlib
import secrets
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Counter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_PATTERNS = {
    "tracking": "SOP-{year}-{seq:06d}",
    "billing": "BL-{year}{month:02d}-{seq:06d}",
    "permit": "503/{seq:04d}/DPMPTSP/{month_roman}/{year}",
    "rejection": "503/{seq:04d}/DPMPTSP-TL/{month_roman}/{year}",
}
SETTINGS = {
    "tracking": "TRACKING_NUMBER_PATTERN",
    "billing": "BILLING_NUMBER_PATTERN",
    "permit": "PERMIT_NUMBER_PATTERN",
    "rejection": "REJECTION_NUMBER_PATTERN",
}
# No 0/O, 1/I/L: the code is read off paper and typed in.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 8


def next_value(key: str) -> int:
    """Advance the counter ``key`` and return its new value. The row is created if missing
    (``ignore_conflicts``: two first callers do not clash) and locked until the caller's
    transaction ends, so numbers are unique and gapless among committed transactions."""
    with transaction.atomic():
        Counter.objects.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
        counter = Counter.objects.select_for_update().get(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


def pattern(kind: str) -> str:
    return getattr(settings, SETTINGS[kind], DEFAULT_PATTERNS[kind])


def format_number(kind: str, seq: int, when: datetime, **extra) -> str:
    """Fill the configured pattern of ``kind``; placeholders: ``seq``, ``year``, ``month``,
    ``month_roman`` and any ``extra`` (e.g. ``service``)."""
    local = timezone.localtime(when)
    return pattern(kind).format(
        seq=seq,
        year=local.year,
        month=local.month,
        month_roman=ROMAN_MONTHS[local.month - 1],
        **extra,
    )


def draw(kind: str, when: datetime | None = None, **extra) -> tuple[str, int, int]:
    """A new number of ``kind`` from its per-year sequence: (number, year, sequence)."""
    when = when or timezone.now()
    year = timezone.localtime(when).year
    seq = next_value(f"{kind}:{year}")
    return format_number(kind, seq, when, **extra), year, seq


def new_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def hash_access_code(tracking_number: str, code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return salted_hmac("permits.access_code", f"{tracking_number}:{normalised}").hexdigest()


def access_code_matches(application, code: str) -> bool:
    """Whether ``code`` is the application's access code (constant-time comparison)."""
    if not application.access_code_hash or not application.tracking_number or not code:
        return False
    return constant_time_compare(
        application.access_code_hash, hash_access_code(application.tracking_number, code)
    )


def _access_code_key(secret: str) -> Fernet:
    digest = hashlib.sha256(f"permits.access_code.seal:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal_access_code(code: str) -> str:
    """The access code encrypted for storage, so that its owner can read it again (issue 12.4).

    Why not only the hash: a reload lost the code for good and a later receipt printed a dash.
    Why not in clear: a copy of the database alone (a backup, a read replica) must not give away
    every file's tracking credential. Fernet (AES-128-CBC + HMAC-SHA256, ``cryptography``) with
    a key derived from ``SECRET_KEY``; after a key rotation without the old key in
    ``SECRET_KEY_FALLBACKS`` the code is unreadable and the owner re-issues it. The HMAC in
    ``access_code_hash`` stays the lookup of the public tracking page."""
    return _access_code_key(settings.SECRET_KEY).encrypt(code.encode()).decode()


def unseal_access_code(sealed: str) -> str | None:
    """The access code from :func:`seal_access_code`, or None when there is none or it cannot
    be read with the current (or a fallback) secret key."""
    if not sealed:
        return None
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return _access_code_key(secret).decrypt(sealed.encode()).decode()
        except InvalidToken:
            continue
    return None


def new_verification_token() -> str:
    """The unguessable token in an issued document's QR link."""
    return secrets.token_urlsafe(24)
