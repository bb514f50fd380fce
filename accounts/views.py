"""Registration and email-verification pages (routes live in ``permits.applicant_urls``)."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import registration
from .forms import RegistrationForm, ResendForm
from .models import User


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("permits:my_applications")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = registration.register(
            email=data["email"],
            full_name=data["full_name"],
            phone=data["phone"],
            nik=data["nik"],
            password=data["password1"],
        )
        registration.send_verification(user, request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("permits:verify_sent")
    context = {"form": form, "notice_version": registration.PRIVACY_NOTICE_VERSION}
    return render(request, "registration/register.html", context)


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
    if user is None:
        form = ResendForm(request.POST)
        if form.is_valid():
            user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
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
