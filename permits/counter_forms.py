"""The forms of the counter pages (``permits.office_views``): they read input; the rules are in
``permits.counter``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Service


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("NIK, name, e-mail or phone"), max_length=100, min_length=3, required=False
    )


class RegisterPersonForm(forms.Form):
    nik = forms.RegexField(
        label=_("NIK"),
        regex=r"^\s*\d{16}\s*$",
        error_messages={"invalid": _("The NIK has 16 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name (as on the KTP)"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "The applicant read (or was read) the privacy notice and agrees that the office "
            "processes their personal data for this application."
        ),
        error_messages={"required": _("Record the applicant's consent first.")},
    )


class StartApplicationForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.public().order_by("name")


class ClaimForm(forms.Form):
    """The claim page: the person's new password, twice (Django's validators apply)."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            try:
                validate_password(one, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
