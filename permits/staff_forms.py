"""The forms of the staff pages: one per step ``action`` (plus the generic one), reassigning a
task and scheduling a field visit. They only read input; the engine and the action handlers
decide."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from workflows.actions import NO, YES

from .models import Decision, Handover, Recommendation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (the handler validates each one)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


OUTCOME_CHOICES = [(YES, _("Yes")), (NO, _("No"))]


class CheckForm(forms.Form):
    """A verdict per current document, in the requirement's order: accepted, or to correct with
    a reason (fields ``doc_<code>`` and ``reason_<code>``), and a note to the applicant. No
    verdict is preselected: each document must be looked at and judged (issue 12 item 7)."""

    notes = forms.CharField(
        label=_("Note to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        notes = self.fields.pop("notes")
        for document in self.documents:
            code, name = document.requirement_code, document.requirement_name
            self.fields[f"doc_{code}"] = forms.ChoiceField(
                label=name,
                choices=[("accept", _("Accept")), ("correct", _("Ask to correct"))],
                widget=forms.RadioSelect,
                error_messages={
                    "required": format_lazy(_("Choose a verdict for {document}."), document=name)
                },
            )
            # The label names the document: nine boxes all called "Reason" cannot be told apart.
            self.fields[f"reason_{code}"] = forms.CharField(
                label=format_lazy(_("Reason — {document}"), document=name),
                required=False,
                max_length=1000,
            )
        self.fields["notes"] = notes

    def clean(self):
        cleaned = super().clean()
        for document in self.documents:
            code = document.requirement_code
            if cleaned.get(f"doc_{code}") == "correct" and not cleaned.get(f"reason_{code}"):
                self.add_error(
                    f"reason_{code}",
                    format_lazy(
                        _("Say what is wrong with {document}."), document=document.requirement_name
                    ),
                )
        return cleaned

    def rows(self):
        return [
            (d, self[f"doc_{d.requirement_code}"], self[f"reason_{d.requirement_code}"])
            for d in self.documents
        ]

    def corrections(self) -> dict[str, str]:
        return {
            d.requirement_code: self.cleaned_data[f"reason_{d.requirement_code}"]
            for d in self.documents
            if self.cleaned_data.get(f"doc_{d.requirement_code}") == "correct"
        }


class RecommendForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.Verdict.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label=_("Attachments (e.g. the inspection report, BAP)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") == Recommendation.Verdict.RECOMMEND_WITH_CONDITIONS
            and not (cleaned.get("conditions") or "").strip()
        ):
            self.add_error("conditions", _("State the conditions of the recommendation."))
        return cleaned


class ScheduleForm(forms.Form):
    visit_on = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def clean_visit_on(self):
        value = self.cleaned_data["visit_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The visit date cannot be in the past."))
        return value


class InspectionReportForm(forms.Form):
    report = forms.FileField(label=_("Inspection report (BAP)"))
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The result is asked only where the SOP step is a decision (its Ya/Tidak exits); a
        # plain step has no result to give, so the field must not be required there. Nothing
        # is pre-selected: the officer says it.
        if decision:
            self.fields["passed"] = forms.ChoiceField(
                label=_("Result"),
                choices=[("yes", _("Meets the requirements")), ("no", _("Does not meet them"))],
                widget=forms.RadioSelect,
            )


class DecideForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Verdict.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") == Decision.Verdict.REJECT
            and not (cleaned.get("reasons") or "").strip()
        ):
            self.add_error("reasons", _("Give the reasons for the rejection."))
        return cleaned


class NotesForm(forms.Form):
    """Payment confirmation, signing off, handover and generic steps: notes, and Yes/No for a
    decision."""

    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if decision:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Answer"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect
            )


class PayForm(NotesForm):
    """The cashier's confirmation: the payment code as printed on the applicant's receipt,
    checked against the bill by the domain (``PayHandler``)."""

    payment_code = forms.CharField(
        label=_("Payment code on the receipt"),
        required=False,
        max_length=60,
        help_text=_("Type the code printed on the bank's or the cashier's receipt."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}),
    )


class HandoverForm(NotesForm):
    """Handing the issued document over: who collects it, the identity shown, the relation."""

    collected_by = forms.CharField(label=_("Collected by (name)"), max_length=150)
    relation = forms.ChoiceField(
        label=_("Relation to the applicant"),
        choices=Handover.Relation.choices,
        initial=Handover.Relation.SELF,
    )
    identity_type = forms.ChoiceField(
        label=_("Identity document shown"), choices=Handover.IdentityType.choices
    )
    identity_number = forms.CharField(label=_("Identity number"), max_length=40)


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Hand to"), queryset=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = people


class HashCheckForm(forms.Form):
    """The verification page's check of a PDF someone holds against the issued file."""

    file = forms.FileField(label=_("PDF file to check"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return uploaded


class StandingForm(forms.Form):
    """The head's suspension, reinstatement or revocation of a permit."""

    change = forms.ChoiceField(
        label=_("Change"),
        choices=[
            ("suspend", _("Suspend (pembekuan)")),
            ("reinstate", _("Lift the suspension")),
            ("revoke", _("Revoke (pencabutan)")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class IssueForm(NotesForm):
    """Signing the permit or the rejection letter: the head types the passphrase of their
    signing certificate (never stored)."""

    passphrase = forms.CharField(
        label=_("Signing passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        max_length=200,
    )
