"""Lockout of guessed sign-ins, on every channel that calls ``authenticate()``: the sign-in page,
the admin's, the token API (django-axes, database handler, so every process sees one count).

An account or a client address that has failed ``AXES_FAILURE_LIMIT`` times is refused for
``AXES_COOLOFF_TIME`` (each further try during the lockout starts it again), or until an
administrator unlocks it (:func:`unlock`: the user admin's action, ``manage.py unlock_sign_in``).
A lockout and an unlock are written to the audit log. OWASP's Authentication Cheat Sheet
("Protect against automated attacks": account lockout with an observation window and a
lockout duration) is the model.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sop_portal import audit

from .models import User


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password one. A call without a request (the test
    client's ``login()``, a shell) is no web channel and nothing to count: it is let through
    to the next backend instead of failing, as axes' own backend would."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in attempt names, as the portal stores it (lower case): ``ANI@...``
    and ``ani@...`` count as one account."""
    value = (credentials or {}).get("username")
    if value is None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") or data.get("email") or ""
    return str(value).strip().lower()[:255]


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_message(request: HttpRequest | None = None) -> str:
    minutes = lockout_minutes(request)
    return ngettext(
        "Too many failed sign-ins: signing in is locked for %(minutes)d minute. If you need "
        "to sign in sooner, contact the office.",
        "Too many failed sign-ins: signing in is locked for %(minutes)d minutes. If you need "
        "to sign in sooner, contact the office.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out attempt: 429 with the translated message, as JSON
    on the API and as a page elsewhere."""
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "codes": ["locked_out"]}, status=429)
    context = {"message": message, "minutes": lockout_minutes(request)}
    return render(request, "registration/locked_out.html", context, status=429)


def carry_to_django(request) -> None:
    """django-axes marks the request it was given; under DRF that is DRF's wrapper, which
    the middleware never sees. Copy the marks onto the Django request, so the API answers
    with the lockout (429) like the pages."""
    django_request = getattr(request, "_request", None)
    if django_request is None:
        return
    for name in ("axes_locked_out", "axes_credentials"):
        if name in request.__dict__:
            setattr(django_request, name, request.__dict__[name])


@receiver(user_locked_out)
def _audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """One audit entry per account/address and cool-off, however many tries hit the lock
    (axes signals every refused try, an attack would flood the log otherwise)."""
    key = f"accounts:lockout-audited:{username or '-'}:{ip_address or '-'}"
    cool_off = get_cool_off(request)
    if not cache.add(key, 1, int(cool_off.total_seconds()) if cool_off else None):
        return
    target = User.objects.filter(email__iexact=username or "").first()
    if target is None:
        target = AccessAttempt.objects.filter(ip_address=ip_address).first()
    if target is not None:
        audit.record(
            "accounts.sign_in.locked_out",
            target,
            after={"username": username or "", "address": ip_address or ""},
        )


def attempts(*, email: str = "", address: str = ""):
    """The recorded failed attempts of an account (by email) and/or a client address."""
    query = Q()
    if email:
        query |= Q(username__iexact=email.strip())
    if address:
        query |= Q(ip_address=address)
    return AccessAttempt.objects.filter(query) if query else AccessAttempt.objects.none()


def unlock(*, email: str = "", address: str = "", actor=None, reason: str = "") -> int:
    """Lift the lockout of an account and/or an address before its cool-off ends: the failed
    attempts counted against them are deleted, and the unlock is audited. Returns how many
    attempt records were removed."""
    email = email.strip().lower()
    with transaction.atomic():
        found = list(attempts(email=email, address=address))
        removed = 0
        if email:
            removed += reset(username=email)
        if address:
            removed += reset(ip=address)
        target = User.objects.filter(email__iexact=email).first() if email else None
        target = target or (found[0] if found else None)
        if target is not None:
            audit.record(
                "accounts.sign_in.unlocked",
                target,
                actor=actor,
                before={"failed_attempts": sum(a.failures_since_start for a in found)},
                after={"username": email, "address": address},
                reason=reason or _("Unlocked by an administrator"),
            )
    # The one-entry-per-cool-off marker of the lockout audit must not hide the next lockout.
    cache.delete_many(
        [f"accounts:lockout-audited:{a.username or '-'}:{a.ip_address or '-'}" for a in found]
    )
    return removed
