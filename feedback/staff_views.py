"""Staff pages: the complaints inbox and a complaint's page (complaints unit: all; an agency's
staff: those assigned to it), the SKM results and report (``can_monitor``) and the paper
survey entry (front office, complaints unit). Anything not yours is a 404."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import handles_complaints
from agencies.models import Agency
from permits.models import Service
from permits.storage import serve_private_file
from sop_portal import audit
from sop_portal.pdf import render_pdf

from . import access, complaints, skm, stats, surveys
from .forms import AssignForm, PaperSurveyForm, PeriodForm, ReplyForm, StatusForm
from .models import Complaint

PAGE_SIZE = 25
SORTS = {"due": ("due_at", "id"), "new": ("-received_at", "-id"), "old": ("received_at", "id")}


def _staff_complaints(request: HttpRequest):
    if not access.is_complaint_staff(request.user):
        raise Http404
    return Complaint.objects.handled_by(request.user)


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    complaint = (
        _staff_complaints(request)
        .select_related("service", "application", "assigned_agency", "complainant")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


@login_required
def complaint_inbox(request: HttpRequest) -> HttpResponse:
    """Complaints with filters (status, category, agency, overdue, search) sorted by due date."""
    rows = _staff_complaints(request).select_related("service", "assigned_agency")
    query = {k: request.GET.get(k, "").strip()[:60] for k in ("q", "status", "category", "agency")}
    query["sort"] = request.GET.get("sort", "due") if request.GET.get("sort") in SORTS else "due"
    if query["q"]:
        rows = rows.filter(Q(number__icontains=query["q"]) | Q(text__icontains=query["q"]))
    if query["status"] in Complaint.Status.values:
        rows = rows.filter(status=query["status"])
    elif not query["status"]:
        rows = rows.filter(status__in=Complaint.OPEN_STATES + (Complaint.Status.ANSWERED,))
    if query["category"] in Complaint.Category.values:
        rows = rows.filter(category=query["category"])
    if query["agency"].isdigit():
        rows = rows.filter(assigned_agency_id=int(query["agency"]))
    if query["status"] == "overdue":
        rows = rows.filter(status__in=Complaint.OPEN_STATES, due_at__lt=timezone.now())
    page = Paginator(rows.order_by(*SORTS[query["sort"]]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = urlencode({k: v for k, v in query.items() if v})
    context = {
        "page": page,
        "query": query,
        "params": params,
        "statuses": Complaint.Status.choices,
        "categories": Complaint.Category.choices,
        "agencies": Agency.objects.active(),
        "now": timezone.now(),
        "is_unit": handles_complaints(request.user),
    }
    return render(request, "feedback/staff/inbox.html", context)


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _complaint(request, pk))


def _detail(request: HttpRequest, complaint, status: int = 200, **forms) -> HttpResponse:
    """The complaint's page; a form that came back with errors is shown bound (400)."""
    context = {
        "complaint": complaint,
        "replies": complaint.replies.select_related("author"),
        "trail": audit.entries_for(complaint)[:50],
        "reply_form": ReplyForm(),
        "assign_form": AssignForm(initial={"agency": complaint.assigned_agency_id}),
        "status_form": StatusForm(),
        "is_unit": handles_complaints(request.user),
        "now": timezone.now(),
        "norm": complaints.response_norm(),
        **forms,
    }
    return render(request, "feedback/staff/complaint.html", context, status=status)


def _invalid(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    return _detail(request, _complaint(request, pk), status=400, **forms)


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    complaint = _complaint(request, pk)
    try:
        action(complaint)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("feedback:complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, reply_form=form)

    def action(complaint):
        complaints.reply(
            complaint,
            form.cleaned_data["text"],
            by=request.user,
            public=form.cleaned_data["is_public"],
        )
        messages.success(request, _("Reply saved."))

    return _act(request, pk, action)


@login_required
@require_POST
def complaint_assign(request: HttpRequest, pk: int) -> HttpResponse:
    form = AssignForm(request.POST)
    if not form.is_valid() and handles_complaints(request.user):
        return _invalid(request, pk, assign_form=form)

    def action(complaint):
        if not handles_complaints(request.user):
            raise PermissionDenied
        complaints.assign(complaint, form.cleaned_data["agency"], by=request.user)
        messages.success(request, _("Complaint assigned."))

    return _act(request, pk, action)


@login_required
@require_POST
def complaint_status(request: HttpRequest, pk: int) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, status_form=form)

    def action(complaint):
        complaints.set_status(
            complaint,
            form.cleaned_data["status"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Status changed."))

    return _act(request, pk, action)


@login_required
def complaint_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    if not complaint.attachment:
        raise Http404
    return serve_private_file(
        complaint.attachment,
        download_name=complaint.attachment_name or "lampiran",
        content_type=complaint.attachment_type or None,
    )


# --- SKM ---------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date, Agency | None]:
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = PeriodForm(request.GET or None, initial=initial)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, data["start"], data["end"], data.get("agency")
    return form, initial["start"], initial["end"], None


def _results_context(request: HttpRequest) -> dict:
    if not access.may_see_survey_results(request.user):
        raise Http404
    form, start, end, agency = _period(request)
    by_service = stats.ikm_by_service(start, end)
    if agency is not None:
        allowed = set(
            stats.responses_in(start, end, agency_id=agency.pk)
            .values_list("service_id", flat=True)
            .distinct()
        )
        by_service = {k: v for k, v in by_service.items() if k in allowed}
    names = dict(Service.objects.filter(pk__in=list(by_service)).values_list("pk", "name"))
    services = sorted(
        ((names.get(sid, "?"), result) for sid, result in by_service.items()),
        key=lambda pair: pair[0],
    )
    by_agency = stats.ikm_by_agency(start, end)
    agency_names = dict(Agency.objects.filter(pk__in=list(by_agency)).values_list("pk", "name"))
    agencies = sorted(
        ((agency_names.get(aid, "?"), result) for aid, result in by_agency.items()),
        key=lambda pair: pair[0],
    )
    overall = stats.ikm(start, end, agency_id=agency.pk if agency else None)
    return {
        "form": form,
        "start": start,
        "end": end,
        "agency": agency,
        "overall": overall,
        "services": services,
        "agencies": agencies,
        "grades": skm.GRADES,
        "weight": skm.OFFICIAL_WEIGHT,
        "query": request.GET.urlencode(),
    }


@login_required
def skm_results(request: HttpRequest) -> HttpResponse:
    """SKM results of a period: overall, per service, per agency, with the sample check."""
    return render(request, "feedback/staff/skm_results.html", _results_context(request))


@login_required
def skm_report_pdf(request: HttpRequest) -> HttpResponse:
    """The same results as a printable report (one renderer: ``sop_portal.pdf``)."""
    context = _results_context(request)
    context["printed_at"] = timezone.localtime()
    pdf = render_pdf("feedback/staff/skm_report_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"laporan-skm-{context['start']:%Y%m%d}-{context['end']:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def skm_paper(request: HttpRequest) -> HttpResponse:
    """Type in a walk-in respondent's paper form."""
    if not surveys.can_enter_paper(request.user):
        raise Http404
    form = PaperSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.enter_paper(
                form.cleaned_data["service"],
                form.cleaned_data,
                by=request.user,
                answered_on=form.cleaned_data["answered_on"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey form saved. You can enter the next one."))
            return redirect("feedback:skm_paper")
    status = 400 if request.method == "POST" else 200
    return render(request, "feedback/staff/skm_paper.html", {"form": form}, status=status)
