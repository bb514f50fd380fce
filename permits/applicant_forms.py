"""Forms of the applicant's pages and of public tracking. Uploads are checked by
``permits.uploads.validate_upload`` so each refused file gets its own message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sop_portal.form_rendering import AccessCodeInput

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


class DraftDocumentsForm(forms.Form):
    """One optional upload per requirement of the service: what is left empty keeps the file
    already uploaded (mandatory ones are enforced on submit)."""

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        for requirement in requirements:
            self.fields[field_name(requirement.code)] = RequirementFileField(
                requirement, required=False
            )

    def uploads(self) -> dict:
        """Requirement code -> file of the valid uploads."""
        return {
            field.requirement.code: self.cleaned_data[name]
            for name, field in self.fields.items()
            if self.cleaned_data.get(name)
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

    proof = forms.FileField(label=_("Proof of payment (PDF, JPG or PNG)"))

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
