"""Forms of the survey and complaint pages (input checks only; the rules live in
``skm``, ``surveys`` and ``complaints``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from permits.models import Service
from sop_portal.form_rendering import AccessCodeInput

from . import skm
from .models import Complaint

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> reads and sends


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


class BootstrapMixin:
    """Bootstrap classes on the widgets (no inline styles: strict CSP)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class SurveyForm(BootstrapMixin, forms.Form):
    """The nine questions (radio buttons 1–4) and the optional respondent profile."""

    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *skm.GENDERS], required=False)
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *skm.EDUCATION], required=False
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=[("", "—"), *skm.OCCUPATIONS], required=False
    )
    suggestions = forms.CharField(
        label=_("Suggestions"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=4000,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in skm.ELEMENTS:
            self.fields[element.field] = forms.TypedChoiceField(
                label=f"{element.code}. {element.question}",
                choices=element.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please answer this question."),
                    "invalid_choice": _("Choose an answer from 1 to 4."),
                },
            )

    def element_fields(self):
        return [(e, self[e.field]) for e in skm.ELEMENTS]


class PaperSurveyForm(SurveyForm):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), empty_label=_("Choose a service")
    )
    answered_on = forms.DateField(
        label=_("Survey date"),
        initial=timezone.localdate,
        required=False,
        widget=date_input(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by("name")


class ComplaintForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    text = forms.CharField(
        label=_("Your complaint"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text=_("What happened, when and where. Do not write ID numbers (NIK) here."),
    )
    service = forms.ModelChoiceField(
        label=_("Service (optional)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Not about one service"),
    )
    tracking_number = forms.CharField(
        label=_("Application tracking number (optional)"), max_length=40, required=False
    )
    application_code = forms.CharField(
        label=_("Access code of that application"),
        max_length=20,
        required=False,
        help_text=_("Not needed if you are signed in as its applicant."),
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("We send the replies here. Without it, follow your complaint on the portal."),
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("PDF, JPG or PNG, up to 10 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True).order_by("name")


class TrackComplaintForm(BootstrapMixin, forms.Form):
    nomor = forms.CharField(
        label=_("Complaint number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "autocomplete": "off"}
        ),
    )
    kode = forms.CharField(
        label=_("Access code"),
        max_length=20,
        widget=AccessCodeInput(
            attrs={
                "class": "form-control font-monospace",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
    )


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(
        label=_("Visible to the complainant"), required=False, initial=True
    )


class AssignForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Responsible unit or agency"), queryset=Agency.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active()


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Complaint.Status.IN_PROGRESS, Complaint.Status.IN_PROGRESS.label),
            (Complaint.Status.CLOSED, Complaint.Status.CLOSED.label),
        ],
    )
    reason = forms.CharField(label=_("Note"), max_length=500, required=False)


class PeriodForm(BootstrapMixin, forms.Form):
    """A period and optional service/agency filter of the results pages."""

    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("To"), widget=date_input())
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
