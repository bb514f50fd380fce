"""The applicant's registration form: identity, NIK, password and consent to the notice."""

import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .models import User

NIK_RE = re.compile(r"^\d{16}$")


def clean_nik(value: str) -> str:
    """A NIK is 16 digits; spaces and dots people type in are dropped."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not NIK_RE.match(digits):
        raise forms.ValidationError(_("A NIK has exactly 16 digits."), code="nik")
    if digits == "0" * 16:
        raise forms.ValidationError(_("This is not a valid NIK."), code="nik")
    return digits


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name (as on your KTP)"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    phone = forms.CharField(label=_("Mobile phone number"), max_length=30)
    nik = forms.CharField(label=_("NIK (16 digits)"), max_length=24)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my personal data is processed for "
            "my applications as it describes."
        ),
        error_messages={"required": _("Registration needs your consent to the privacy notice.")},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email address exists already. Sign in or reset "
                    "the password."
                )
            )
        return email

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s\-()]", "", self.cleaned_data["phone"])
        if not re.fullmatch(r"\+?\d{8,15}", phone):
            raise forms.ValidationError(_("Enter a phone number of 8 to 15 digits."))
        return phone

    def clean_nik(self) -> str:
        return clean_nik(self.cleaned_data["nik"])

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(one, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class SecondFactorForm(forms.Form):
    """The six digits of the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from the authenticator app (or a recovery code)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its mail put in the outbox (``sop_portal.outbox``) like every
    other: an outage of the broker or the mail server neither loses it nor fails the page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from sop_portal import outbox

        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        outbox.queue_mail(to_email, subject, body, kind="password_reset")
