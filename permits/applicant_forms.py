"""Forms of the applicant's pages and of public tracking. Uploads are checked by
``permits.uploads.validate_upload`` so each refused file gets its own message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sop_portal.form_rendering import AccessCodeInput

from . import application_data
from .uploads import UploadRejected, accepted_formats, validate_upload


def _checked(uploaded, formats):
    if uploaded:
        try:
            validate_upload(uploaded, formats=formats)
        except UploadRejected as error:
            raise forms.ValidationError(error.messages, code=error.code) from None
    return uploaded


class RequirementFileField(forms.FileField):
    """An upload for one requirement, checked by content against its accepted formats."""

    def __init__(self, requirement, **kwargs):
        self.requirement = requirement
        self.formats = accepted_formats(requirement.formats)
        super().__init__(label=requirement.name, **kwargs)
        self.widget.attrs["accept"] = ",".join(f".{f}" for f in self.formats)

    def clean(self, data, initial=None):
        return _checked(super().clean(data, initial), self.requirement.formats)


def field_name(code: str) -> str:
    return f"doc_{code}"


def data_field_name(code: str) -> str:
    return f"data_{code}"


def _data_form_field(field: application_data.Field) -> forms.Field:
    """A form field for a declared field. Never required here: a draft may be partial; the
    domain (``application_data.clean``) checks the answers and, on submit, the required ones."""
    attrs: dict[str, str] = {"class": "form-control"}
    spec = field.spec
    if spec and spec.pattern and spec.max_length in (5, 13, 16):
        attrs |= {"inputmode": "numeric", "maxlength": str(spec.max_length)}
    if field.type == "textarea":
        widget = forms.Textarea(attrs=attrs | {"rows": 2})
    elif field.type == "date":
        widget = forms.DateInput(attrs=attrs | {"type": "date"})
    elif field.type == "integer":
        widget = forms.TextInput(attrs=attrs | {"inputmode": "numeric"})
    elif field.type == "choice":
        widget = forms.Select(attrs={"class": "form-select"}, choices=[("", "—"), *field.choices])
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=field.label, required=False, widget=widget, help_text=field.help, strip=True
    )


class DraftDocumentsForm(forms.Form):
    """The service's declared fields (``permits.application_data``) and one optional upload
    per requirement: what is left empty keeps the file already uploaded (mandatory ones and
    required fields are enforced on submit)."""

    def __init__(self, *args, requirements, declared=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.data_fields = application_data.fields_of(list(declared))
        for field in self.data_fields:
            self.fields[data_field_name(field.code)] = _data_form_field(field)
        for requirement in requirements:
            self.fields[field_name(requirement.code)] = RequirementFileField(
                requirement, required=False
            )

    def answers(self) -> dict:
        """Field code -> what was typed (cleaned by the domain, not here)."""
        return {
            f.code: self.data.get(data_field_name(f.code), "")
            for f in self.data_fields
            if data_field_name(f.code) in self.data
        }

    def data_groups(self) -> list[tuple[str, list]]:
        """(group label, bound fields) in the declared order, for the template."""
        groups: dict[str, list] = {}
        for f in self.data_fields:
            label = str(application_data.GROUPS[f.group])
            groups.setdefault(label, []).append((self[data_field_name(f.code)], f))
        return list(groups.items())

    def save_answers(self, application, by) -> None:
        """Store the typed details through ``lifecycle.save_data`` (the domain cleans them);
        what it refuses comes back as this form's errors, field by field."""
        from . import lifecycle

        if not self.data_fields:
            return
        try:
            lifecycle.save_data(application, by, self.answers())
        except lifecycle.IncompleteData as error:
            for code, message in error.errors.items():
                name = data_field_name(code)
                self.add_error(name if name in self.fields else None, message)
        except lifecycle.EngineError as error:
            self.add_error(None, str(error))

    def uploads(self) -> dict:
        """Requirement code -> file of the valid uploads."""
        return {
            field.requirement.code: self.cleaned_data[name]
            for name, field in self.fields.items()
            if isinstance(field, RequirementFileField) and self.cleaned_data.get(name)
        }


class CorrectionForm(forms.Form):
    """The replacements of exactly the documents the office asked to correct, and a note."""

    note = forms.CharField(
        label=_("Note to the office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents
        for document in documents:
            field = RequirementFileField(document.requirement, required=True)
            field.label = document.requirement_name
            self.fields[field_name(document.requirement_code)] = field
        self.order_fields([*(field_name(d.requirement_code) for d in documents), "note"])

    def replacements(self) -> dict:
        return {
            d.requirement_code: self.cleaned_data[field_name(d.requirement_code)]
            for d in self.documents
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn application cannot be resumed."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class PaymentProofForm(forms.Form):
    PROOF_FORMATS = ["pdf", "jpg", "png"]

    proof = forms.FileField(
        label=_("Proof of payment (PDF, JPG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_proof(self):
        return _checked(self.cleaned_data["proof"], self.PROOF_FORMATS)


class TrackForm(forms.Form):
    nomor = forms.CharField(
        label=_("Tracking number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control font-monospace",
                "autocomplete": "off",
                "placeholder": "SOP-2026-000001",
            }
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
