"""Forms of the staff SOP pages: they parse input; the writes are in :mod:`workflows.editor` and
:mod:`workflows.versions`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from .durations import TimeUnit
from .editor import IDENTITY_LISTS
from .models import PerformerRole, SopVersion, StepAction, Symbol

LIST_HELP = _("One item per line.")


def _lines(value) -> str:
    return "\n".join(value or []) if isinstance(value, list) else (value or "")


class BootstrapMixin:
    """Bootstrap classes on every widget (no inline styles: the CSP forbids them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def apply_error(self, error) -> None:
        """Show a domain ValidationError next to its field when it names one of the form's."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IdentityForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("SOP number"), max_length=100, required=False)
    name = forms.CharField(label=_("SOP name"), max_length=255)
    made_on = forms.DateField(label=_("date made"), required=False, widget=DateInput())
    revised_on = forms.DateField(label=_("date revised"), required=False, widget=DateInput())
    effective_on = forms.DateField(label=_("effective date"), required=False, widget=DateInput())
    approved_by_position = forms.CharField(
        label=_("approved by (position)"), max_length=200, required=False
    )
    approved_by_name = forms.CharField(
        label=_("approved by (name)"), max_length=150, required=False
    )
    approved_by_nip = forms.CharField(label=_("approved by (NIP)"), max_length=30, required=False)
    legal_basis = forms.CharField(label=_("legal basis"), required=False, help_text=LIST_HELP)
    related = forms.CharField(label=_("related SOPs"), required=False, help_text=LIST_HELP)
    warnings = forms.CharField(label=_("warnings"), required=False, help_text=LIST_HELP)
    qualifications = forms.CharField(
        label=_("performer qualifications"), required=False, help_text=LIST_HELP
    )
    equipment = forms.CharField(label=_("equipment"), required=False, help_text=LIST_HELP)
    records = forms.CharField(label=_("records and data"), required=False, help_text=LIST_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in IDENTITY_LISTS:
            self.fields[name].widget = forms.Textarea(attrs={"rows": 3, "class": "form-control"})

    @classmethod
    def for_version(cls, version: SopVersion, data=None) -> "IdentityForm":
        initial = {name: getattr(version, name) for name in SopVersion.CONTENT_FIELDS}
        initial.update({name: _lines(initial[name]) for name in IDENTITY_LISTS})
        return cls(data, initial=initial)


class PerformerForm(BootstrapMixin, forms.Form):
    key = forms.SlugField(
        label=_("key"), max_length=40, help_text=_("Short name used by the steps, e.g. fo.")
    )
    title = forms.CharField(label=_("title"), max_length=150)
    short_title = forms.CharField(
        label=_("short label"),
        max_length=30,
        required=False,
        help_text=_(
            "Printed in the flowchart header when the title is long; the page's key "
            "spells out the title."
        ),
    )
    role = forms.ChoiceField(label=_("role"), choices=PerformerRole.choices)
    agency = forms.ModelChoiceField(
        label=_("agency"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    for_technical = forms.BooleanField(label=_("the service's technical agencies"), required=False)


class StepForm(BootstrapMixin, forms.Form):
    symbol = forms.ChoiceField(label=_("symbol"), choices=Symbol.choices)
    activity = forms.CharField(label=_("activity"), max_length=500)
    performer = forms.ModelChoiceField(label=_("performer"), queryset=None, to_field_name="key")
    also_performers = forms.MultipleChoiceField(
        label=_("also performed by"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_(
            "A step done together (the applicant at the counter with the officer): "
            "drawn across their columns; the task goes to the performer above."
        ),
    )
    requirements = forms.CharField(
        label=_("requirements"),
        required=False,
        help_text=LIST_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duration_value = forms.IntegerField(label=_("time norm"), min_value=1, required=False)
    duration_unit = forms.ChoiceField(
        label=_("time unit"), choices=[("", "—"), *TimeUnit.choices], required=False
    )
    output = forms.CharField(
        label=_("output"),
        required=False,
        help_text=LIST_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_no = forms.IntegerField(
        label=_("next step"),
        min_value=1,
        required=False,
        help_text=_("Empty: the following step."),
    )
    yes_no = forms.IntegerField(label=_("if yes, step"), min_value=1, required=False)
    no_no = forms.IntegerField(label=_("if no, step"), min_value=1, required=False)
    action = forms.ChoiceField(
        label=_("action"), choices=[("", "—"), *StepAction.choices], required=False
    )

    def __init__(self, *args, version: SopVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performer"].queryset = version.performers.order_by("position")
        self.fields["performer"].widget.attrs["class"] = "form-select"
        self.fields["also_performers"].choices = [
            (p.key, p.title) for p in version.performers.order_by("position")
        ]


class NewStepForm(StepForm):
    at = forms.IntegerField(
        label=_("as step number"),
        min_value=1,
        required=False,
        help_text=_("Empty: after the last step."),
    )


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(BootstrapMixin, forms.Form):
    effective_on = forms.DateField(label=_("effective date"), widget=DateInput())


class NewSopForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("code"),
        max_length=60,
        help_text=_("The code of the service the SOP belongs to, e.g. DISHUB-AKDP."),
    )
    name = forms.CharField(label=_("SOP name"), max_length=255)


class UploadForm(BootstrapMixin, forms.Form):
    workbook = forms.FileField(label=_("filled-in workbook (.xlsx)"))
