"""Registration and email-verification pages (routes live in ``permits.applicant_urls``); the
sign-in and password-reset pages with their limits, and the second-factor pages
(``accounts.urls``)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sop_portal.form_rendering import InvalidFormIs400

from . import limits, registration, second_factor
from .forms import PasswordResetForm, RegistrationForm, ResendForm, SecondFactorForm
from .models import User


def _address(request: HttpRequest) -> str:
    # The same client address the tracking throttle and django-axes count against.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _too_many() -> str:
    return _(
        "Too many requests from here in the last hour. Try again later, or contact the office."
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("permits:my_applications")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limits.spend_registration(_address(request))
        except limits.LimitReached:
            form.add_error(None, _too_many())
            context = {"form": form, "notice_version": registration.PRIVACY_NOTICE_VERSION}
            return render(request, "registration/register.html", context, status=429)
        data = form.cleaned_data
        user = registration.register(
            email=data["email"],
            full_name=data["full_name"],
            phone=data["phone"],
            nik=data["nik"],
            password=data["password1"],
            language=get_language(),
        )
        registration.send_verification(user, request)
        login(request, user, backend="accounts.backends.PortalModelBackend")
        return redirect("permits:verify_sent")
    context = {"form": form, "notice_version": registration.PRIVACY_NOTICE_VERSION}
    return render(
        request, "registration/register.html", context, status=400 if form.errors else 200
    )


def verify_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/verify_sent.html", {"form": ResendForm()})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = registration.verify(token)
    if user is None:
        return render(
            request, "registration/verify_failed.html", {"form": ResendForm()}, status=400
        )
    messages.success(request, _("Your email address is verified. You can submit applications."))
    return redirect("permits:my_applications" if request.user.is_authenticated else "login")


@require_http_methods(["POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send the link again. The answer is the same whether or not the address has an
    unverified account, so the form tells nobody who is registered."""
    user = request.user if request.user.is_authenticated else None
    email = user.email if user is not None else ""
    if user is None:
        form = ResendForm(request.POST)
        if not form.is_valid():
            # A malformed address says nothing about who is registered: show it to correct.
            return render(request, "registration/verify_sent.html", {"form": form}, status=400)
        email = form.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
    try:
        limits.spend_account_mail("verify", email=email, address=_address(request))
    except limits.LimitReached:
        return render(
            request,
            "registration/verify_sent.html",
            {"form": ResendForm(), "refused": _too_many()},
            status=429,
        )
    if user is not None and not user.email_verified and user.is_active:
        registration.send_verification(user, request)
    messages.info(
        request,
        _(
            "If the address belongs to an account that is not verified yet, a new link is on "
            "its way."
        ),
    )
    return redirect("permits:verify_sent")


class SignInView(InvalidFormIs400, auth_views.LoginView):
    """Django's sign-in page (django-axes counts its failures); staff without a ``next`` land
    on their inbox rather than the public catalogue."""

    def get_default_redirect_url(self) -> str:
        from permits.staff_services import is_staff_member

        if not self.get_redirect_url() and is_staff_member(self.request.user):
            return reverse("permits:staff_inbox")
        return super().get_default_redirect_url()

    def get_success_url(self) -> str:
        # A sign-in started from the public catalogue ("?next=/") is no request for it:
        # staff land on their inbox there too, as after the second factor.
        from permits.staff_services import is_staff_member

        url = super().get_success_url()
        if url == reverse("permits:catalogue") and is_staff_member(self.request.user):
            return reverse("permits:staff_inbox")
        return url


class PasswordResetView(InvalidFormIs400, auth_views.PasswordResetView):
    """Django's reset form, with its mails limited per address typed and per client address
    (the answer is the same whether or not the address has an account), sent through the
    outbox."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        try:
            limits.spend_account_mail(
                "reset", email=form.cleaned_data["email"], address=_address(self.request)
            )
        except limits.LimitReached:
            form.add_error(None, _too_many())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordChangeView(InvalidFormIs400, auth_views.PasswordChangeView):
    """Django's password change; a refused password answers 400."""


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    """Django's new password after the reset link; a refused password answers 400."""


def _after_second_factor(request: HttpRequest) -> str:
    """Where the sign-in goes on: the page asked for, else the inbox for staff (the public
    catalogue, where the password alone lands everyone, is no staff page)."""
    from permits.staff_services import is_staff_member

    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    catalogue = reverse("permits:catalogue")
    if safe and target != catalogue:
        return target
    return reverse("permits:staff_inbox") if is_staff_member(request.user) else catalogue


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: a QR code (and its secret, to type in by hand), then
    the first code typed back confirms it and shows the ten recovery codes, once."""
    if second_factor.totp_device(request.user) is not None and not request.user.is_verified():
        # Enrolled already: a password alone must not replace the authenticator.
        return redirect(f"{reverse('second_factor_verify')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.enrol(request, form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "continue_url": _after_second_factor(request)}
            return render(request, "registration/recovery_codes.html", context)
        form.add_error("code", _("The code is wrong or has expired. Type the current one."))
    device = second_factor.pending_device(request.user)
    context = {
        "form": form,
        "qr_svg": second_factor.qr_code(device),
        "secret": second_factor.secret_of(device),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    status = 400 if form.errors else 200
    return render(request, "registration/second_factor_enrol.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password (from the app, or one recovery code)."""
    if second_factor.totp_device(request.user) is None:
        return redirect(f"{reverse('second_factor_enrol')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_after_second_factor(request))
        form.add_error(
            "code",
            _("The code is wrong, expired or used already. Wait a moment and try again."),
        )
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    status = 400 if form.errors else 200
    return render(request, "registration/second_factor_verify.html", context, status=status)
