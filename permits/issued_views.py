"""Pages of an issued permit's life: the head's preview before signing, the head's page to
suspend, reinstate or revoke a permit, and the holder's start of a renewal or an amendment.
Thin callers of ``permits.issued_documents``, ``permits.standing`` and ``permits.follow_ups``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.engine import EngineError
from workflows.models import StepAction

from . import access, follow_ups, issued_documents, standing, verification
from . import staff_forms as forms
from . import staff_services as services
from .models import IssuedDocument
from .staff_views import _domain_error, staff_required

KINDS = {
    StepAction.ISSUE_PERMIT: IssuedDocument.Kind.PERMIT,
    StepAction.ISSUE_REJECTION: IssuedDocument.Kind.REJECTION,
}


@staff_required
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The document of an open signing task as it will be issued (its number is drawn at
    signing)."""
    task = get_object_or_404(
        services.staff_tasks(request.user).select_related("application__service", "step"), pk=pk
    )
    kind = KINDS.get(task.step.action)
    if kind is None or not task.is_open:
        raise Http404
    pdf = issued_documents.preview(task.application, kind, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    # Shown in the browser's viewer, never cached: it is a draft of a document not yet issued.
    response["Content-Disposition"] = 'inline; filename="pratinjau.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _visible_issued(request: HttpRequest, pk: int) -> IssuedDocument:
    issued = get_object_or_404(
        IssuedDocument.objects.select_related("application__applicant", "replaced_by"), pk=pk
    )
    if not access.may_download_issued(request.user, issued):
        raise Http404
    return issued


@staff_required
def issued_standing(request: HttpRequest, pk: int) -> HttpResponse:
    """The head suspends, reinstates or revokes a permit (reason, legal basis, date)."""
    issued = _visible_issued(request, pk)
    if not access.may_change_standing(request.user):
        raise Http404
    form = forms.StandingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            standing.CHANGES[data["change"]](
                issued, request.user, data["reason"], data["legal_basis"], data["effective_on"]
            )
        except EngineError as error:
            _domain_error(request, error)
        else:
            messages.success(request, _("The standing of the permit was changed."))
            return redirect("permits:issued_standing", issued.pk)
    return render(
        request,
        "permits/staff/issued_standing.html",
        {"issued": issued, "form": form, **verification.summary(issued)},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int, purpose: str) -> HttpResponse:
    """The holder starts a renewal or an amendment of their permit (a pre-filled draft)."""
    issued = _visible_issued(request, pk)
    try:
        application = follow_ups.start(issued, request.user, purpose, request.POST.get("note", ""))
    except EngineError as error:
        messages.error(request, error.message)
        return redirect("permits:application_detail", issued.application_id)
    return redirect("permits:application_form", application.pk)
