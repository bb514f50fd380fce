"""Pages of Tabel 7 (six-monthly monitoring of SOP implementation): the rounds, opening one,
the table with its pre-filled assessments, the assessor's form per row, the preview and PDF."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sop_portal.pdf import render_html, render_pdf

from . import assessment
from .models import Assessment, MonitoringEntry, MonitoringRound
from .views import monitor_required


class RoundForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    semester = forms.TypedChoiceField(
        label=gettext_lazy("Semester"),
        choices=MonitoringRound.Semester.choices,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class EntryForm(forms.Form):
    assessment = forms.ChoiceField(
        label=gettext_lazy("Assessment"),
        choices=Assessment.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes of the assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    actions = forms.CharField(
        label=gettext_lazy("Actions to take"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


def _rule() -> str:
    return _(
        "Pre-filled rule: an SOP runs well when at least %(rate)s%% of its office steps with a "
        "time norm ended on time in the semester and no step's 90th-percentile office time is "
        "above its norm. No measured step: no suggestion."
    ) % {"rate": f"{assessment.threshold():g}"}


@monitor_required
def round_list(request: HttpRequest) -> HttpResponse:
    now = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        initial={"year": now.year, "semester": 1 if now.month <= 6 else 2},
    )
    if request.method == "POST" and form.is_valid():
        try:
            monitoring = assessment.open_round(
                form.cleaned_data["year"], form.cleaned_data["semester"], request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The monitoring round is open, pre-filled."))
            return redirect("monitoring:round_detail", pk=monitoring.pk)
    return render(
        request,
        "monitoring/round_list.html",
        {"rounds": MonitoringRound.objects.all(), "form": form, "rule": _rule()},
        status=400 if form.errors else 200,
    )


def _entries(monitoring: MonitoringRound):
    return monitoring.entries.select_related("assessed_by", "service").order_by("position")


@monitor_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring = get_object_or_404(MonitoringRound, pk=pk)
    return render(
        request,
        "monitoring/round_detail.html",
        {"round": monitoring, "entries": _entries(monitoring), "rule": _rule()},
    )


@monitor_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(MonitoringEntry.objects.select_related("round", "service"), pk=pk)
    form = EntryForm(
        request.POST or None,
        initial={
            "assessment": entry.assessment or entry.suggested,
            "notes": entry.notes,
            "actions": entry.actions,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment.assess(entry, request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The assessment is saved and initialled."))
            return redirect("monitoring:round_detail", pk=entry.round_id)
    return render(
        request,
        "monitoring/entry_form.html",
        {"entry": entry, "round": entry.round, "form": form, "rule": _rule()},
        status=400 if form.errors else 200,
    )


def _document_context(monitoring: MonitoringRound) -> dict:
    portal = settings.PORTAL
    return {
        "round": monitoring,
        "entries": _entries(monitoring),
        "rule": _rule(),
        "office": f"{portal['office_code']} Provinsi {portal['province']}",
    }


@monitor_required
def round_preview(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring = get_object_or_404(MonitoringRound, pk=pk)
    html = render_html("monitoring/documents/table7.html", _document_context(monitoring), request)
    return HttpResponse(html)


@monitor_required
def round_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    monitoring = get_object_or_404(MonitoringRound, pk=pk)
    pdf = render_pdf("monitoring/documents/table7.html", _document_context(monitoring))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"tabel-7-monitoring-sop-{monitoring.year}-s{monitoring.semester}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
