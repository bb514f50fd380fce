"""The second factor of staff: TOTP (RFC 6238) with django-otp, ten one-time recovery codes,
and the administrator's audited reset.

Who needs it: every staff role (:func:`holds_staff_role`: any active membership, whatever the
role, an administrator, a superuser, anyone who may open the admin), when
``OTP_REQUIRED_FOR_STAFF`` is on (production's default). :class:`RequireSecondFactorMiddleware`
sends such a user, signed in with the password only, to enrolment (no confirmed device yet) or
to the code; the token API asks for the code too (``permits.lifecycle_serializers``).
NIST SP 800-63B §5.1.4.1 (single-factor OTP authenticators: "accept a given time-based OTP
only once during the validity period") is met by django-otp's ``last_t``; wrong codes are
slowed by its throttling (``OTP_TOTP_THROTTLE_FACTOR``: 1, 2, 4 ... seconds).
"""

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sop_portal import audit, qr

#: How many recovery codes a person gets (each works once).
RECOVERY_CODES = 10
TOTP_NAME = "Authenticator"
RECOVERY_NAME = "Recovery codes"


def holds_staff_role(user) -> bool:
    """Anyone with a staff role: office staff, OPD officers, heads, administrators, cashiers,
    the complaints unit (any active membership), superusers and admin-site users."""
    from agencies.access import holds_membership, signed_in

    if not signed_in(user):
        return False
    return user.is_staff or user.is_superuser or holds_membership(user)


def required_for(user) -> bool:
    return settings.OTP_REQUIRED_FOR_STAFF and holds_staff_role(user)


def totp_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled: kept between the page and the code typed back, so
    reloading the page shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The shared secret in base32, for typing into an app by hand."""
    return b32encode(device.bin_key).decode()


def qr_code(device: TOTPDevice) -> str:
    """The ``otpauth://`` address of ``device`` as an inline SVG QR code."""
    return qr.qr_svg(device.config_url, scale=4)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def enrol(request: HttpRequest, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a first ``code``: the session is verified and
    the new recovery codes are returned (to be shown once). None for a wrong code."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(_clean(code)):
            return None
        # One authenticator per person: enrolling again replaces the old one.
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit.record("accounts.second_factor.enrolled", user, actor=user)
    otp_login(request, device)
    return codes


def _clean(code: str) -> str:
    return "".join((code or "").split()).lower()[:16]


def check(user, code: str):
    """The device (authenticator or recovery codes) that accepts ``code``, or None. A recovery
    code is used up by this, and its use audited."""
    device = match_token(user, _clean(code))
    if isinstance(device, StaticDevice):
        audit.record(
            "accounts.second_factor.recovery_code_used",
            user,
            actor=user,
            after={"recovery_codes_left": device.token_set.count()},
        )
    return device


def verify(request: HttpRequest, code: str) -> bool:
    """Verify the signed-in session with ``code``."""
    device = check(request.user, code)
    if device is None:
        return False
    otp_login(request, device)
    return True


def reset(user, *, actor, reason: str = "") -> int:
    """The administrator's reset (a lost phone): every device of ``user`` is removed, so
    their next sign-in enrols afresh. Audited. Returns how many devices were removed."""
    with transaction.atomic():
        devices = [TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)]
        removed = sum(d.count() for d in devices)
        for queryset in devices:
            queryset.delete()
        audit.record(
            "accounts.second_factor.reset",
            user,
            actor=actor,
            before={"devices": removed},
            reason=reason,
        )
    return removed


# --- enforcement on the pages -----------------------------------------------------------------

#: Paths a password-only staff session may still open: the second-factor pages themselves,
#: signing out, switching language, static files, the health probe.
OPEN_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/health/", "/favicon.ico")


def _next_url(request: HttpRequest, name: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


def _unwrapped(user):
    # The object behind a lazy request user (evaluated now): Django's own LazyObject slots.
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class DirectUserOTPMiddleware(OTPMiddleware):
    """django-otp's ``OTPMiddleware`` (the device named in the session is read and checked at
    every request, as before), with the request's user one object again once read. django-otp
    wraps the lazy user of ``AuthenticationMiddleware`` in a second lazy object, so each of the
    ~130 reads of ``request.user.…`` a staff page makes went through two proxies (each raising
    and catching an AttributeError): ~1 ms a page. Here the device check runs on the user
    itself, and ``request.user`` becomes that user at its first read."""

    def _install_lazy_accessors(self, request: HttpRequest) -> None:
        lazy = getattr(request, "user", None)
        super()._install_lazy_accessors(request)  # ``request.auser`` as django-otp sets it
        if lazy is None:
            return

        def verified():
            user = self._verify_user_sync(request, _unwrapped(lazy))
            request.user = user
            return user

        request.user = SimpleLazyObject(verified)


class RequireSecondFactorMiddleware:
    """Sends a staff session signed in with the password only to enrolment or to the code.
    Installed after django-otp's ``OTPMiddleware`` (it reads ``user.is_verified()``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse | None:
        if not settings.OTP_REQUIRED_FOR_STAFF:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        path = request.path_info
        own = (reverse("second_factor_verify"), reverse("second_factor_enrol"))
        if path.startswith(OPEN_PREFIXES) or path in own or not holds_staff_role(user):
            return None
        if path.startswith("/api/"):
            message = _("Staff must confirm the sign-in with their second factor first.")
            return JsonResponse(
                {"detail": message, "codes": ["second_factor_required"]}, status=403
            )
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        step = "second_factor_verify" if enrolled else "second_factor_enrol"
        return redirect(_next_url(request, step))
