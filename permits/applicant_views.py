"""The applicant's pages (apply, the form with uploads, delete a draft, submit, receipt, list,
detail, correction, payment, withdrawal, notifications) and public tracking. Thin callers of
``permits.lifecycle`` and ``permits.applicant_services``; every object goes through
``visible_to`` or the applicant's own list, so another person's file is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access_codes, access_log, lifecycle, progress
from . import applicant_services as services
from .applicant_forms import (
    CorrectionForm,
    DraftDocumentsForm,
    PaymentProofForm,
    TrackForm,
    WithdrawForm,
    data_field_name,
    field_name,
)
from .models import Application, ApplicationDocument, Notification, Service
from .storage import content_disposition

#: The applicant's list is paged: a busy agent's account holds hundreds of files.
APPLICATIONS_PER_PAGE = 20


def _own(request: HttpRequest, pk: int) -> Application:
    """The signed-in applicant's own application, else a 404 (staff use their own pages)."""
    return get_object_or_404(
        Application.objects.filter(applicant=request.user).select_related("service", "sop_version"),
        pk=pk,
    )


@login_required
@require_POST
def apply(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.public(), code=code)
    try:
        application = lifecycle.create_draft(service, request.user)
    except lifecycle.EngineError as error:
        messages.error(request, str(error))
        return redirect("permits:service_detail", code=code)
    return redirect("permits:application_form", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_form(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.status != Application.Status.DRAFT:
        return redirect("permits:application_detail", pk=pk)
    requirements = list(application.service.requirements.order_by("position", "id"))
    declared = application.service.application_fields
    form = DraftDocumentsForm(
        request.POST or None,
        request.FILES or None,
        requirements=requirements,
        declared=declared,
        initial={data_field_name(code): value for code, value in application.data.items()},
    )
    if request.method == "POST":
        form.is_valid()
        form.save_answers(application, request.user)
        # Good files are kept even when another one is refused: nobody uploads twice.
        stored = 0
        for code, uploaded in form.uploads().items():
            try:
                lifecycle.attach_document(application, request.user, code, uploaded)
                stored += 1
            except lifecycle.UploadRejected as error:
                form.add_error(field_name(code), error)
            except lifecycle.EngineError as error:
                form.add_error(None, str(error))
        if form.errors:
            messages.warning(request, _("Some entries were not accepted; see the messages below."))
        else:
            if "submit" in request.POST:
                return _submit(request, application)
            if stored or form.data_fields:
                messages.success(request, _("The draft is saved."))
            return redirect("permits:application_form", pk=pk)
    documents = {d.requirement_code: d for d in services.current_documents(application)}
    rows = [
        {
            "requirement": r,
            "field": form[field_name(r.code)],
            "document": documents.get(r.code),
            "formats": [f.upper() for f in form.fields[field_name(r.code)].formats],
        }
        for r in requirements
    ]
    missing = [r.name for r in lifecycle.missing_requirements(application)]
    context = {"application": application, "form": form, "rows": rows, "missing": missing}
    status = 400 if form.errors else 200
    return render(request, "permits/applicant/application_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete the applicant's draft: the button on the draft page asks here, the confirmation
    page posts ``confirm``."""
    application = _own(request, pk)
    if application.status != Application.Status.DRAFT:
        return redirect("permits:application_detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            lifecycle.delete_draft(application, request.user)
        except lifecycle.EngineError as error:
            messages.error(request, str(error))
            return redirect("permits:application_form", pk=pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("permits:my_applications")
    return render(request, "permits/applicant/delete_draft.html", {"application": application})


def _submit(request: HttpRequest, application: Application) -> HttpResponse:
    try:
        lifecycle.submit(application, request.user)
    except lifecycle.EngineError as error:
        messages.error(request, str(error))
        return redirect("permits:application_form", pk=application.pk)
    return redirect("permits:application_submitted", pk=application.pk)


@login_required
def application_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.status == Application.Status.DRAFT:
        return redirect("permits:application_form", pk=pk)
    code = access_codes.readable_code(application, request.user)
    return render(
        request,
        "permits/applicant/submitted.html",
        {"application": application, "access_code": code},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt PDF, with the current access code on every copy."""
    application = _own(request, pk)
    if not application.tracking_number:
        raise Http404(_("A draft has no receipt."))
    pdf = services.receipt_pdf(application, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"bukti-pendaftaran-{application.tracking_number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(services.applicant_applications(request.user), APPLICATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "permits/applicant/my_applications.html",
        {"applications": page.object_list, "page": page},
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.status == Application.Status.DRAFT:
        return redirect("permits:application_form", pk=pk)
    return render(
        request, "permits/applicant/application_detail.html", _detail(request, application)
    )


def _detail(request: HttpRequest, application: Application, **forms) -> dict:
    """The applicant's page of one file; a correction or payment form with errors shown bound."""
    to_correct = services.documents_to_correct(application)
    payment = services.open_payment(application)
    issued = [(d, services.issued_download_url(d)) for d in services.issued_documents(application)]
    return {
        "application": application,
        "progress": progress.progress(application),
        "documents": services.current_documents(application),
        "to_correct": to_correct,
        "correction_form": CorrectionForm(documents=to_correct) if to_correct else None,
        "payment": payment,
        "payment_form": PaymentProofForm() if payment else None,
        "payment_channels": services.payment_channels() if payment else [],
        "issued": issued,
        "can_withdraw": application.status in Application.ACTIVE_STATES,
        "accesses": access_log.accesses_for(application)[:200],
        "access_code": access_codes.readable_code(application, request.user),
        **forms,
    }


@login_required
@require_POST
def reissue_access_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner asks for a new access code (the old one stops working)."""
    application = _own(request, pk)
    try:
        access_codes.reissue(application, request.user)
    except lifecycle.EngineError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A new access code was issued; the old one no longer works."))
    return redirect("permits:application_detail", pk=pk)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    to_correct = services.documents_to_correct(application)
    form = CorrectionForm(request.POST, request.FILES, documents=to_correct)
    if to_correct and form.is_valid():
        try:
            lifecycle.correct(
                application, request.user, form.replacements(), form.cleaned_data["note"]
            )
        except lifecycle.UploadRejected as error:
            form.add_error(None, error)
        except lifecycle.EngineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The corrected documents were sent to the office."))
            return redirect("permits:application_detail", pk=pk)
    elif not to_correct:
        messages.error(request, _("The application is not waiting for a correction."))
        return redirect("permits:application_detail", pk=pk)
    context = _detail(request, application, correction_form=form)
    return render(request, "permits/applicant/application_detail.html", context, status=400)


@login_required
@require_POST
def payment_proof(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    form = PaymentProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            lifecycle.upload_payment_proof(application, request.user, form.cleaned_data["proof"])
        except lifecycle.UploadRejected as error:
            form.add_error("proof", error)
        except lifecycle.EngineError as error:
            messages.error(request, str(error))
            return redirect("permits:application_detail", pk=pk)
        else:
            messages.success(request, _("The proof of payment was sent to the cashier."))
            return redirect("permits:application_detail", pk=pk)
    context = _detail(request, application, payment_form=form)
    if context["payment"] is None:
        messages.error(request, _("This application has no payment waiting for a proof."))
        return redirect("permits:application_detail", pk=pk)
    return render(request, "permits/applicant/application_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.status not in Application.ACTIVE_STATES:
        messages.error(request, _("This application cannot be withdrawn any more."))
        return redirect("permits:application_detail", pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.withdraw(application, request.user, form.cleaned_data["reason"])
        except lifecycle.EngineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect("permits:application_detail", pk=pk)
    return render(
        request,
        "permits/applicant/withdraw.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def applicant_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = get_object_or_404(
        ApplicationDocument.objects.visible_to(request.user)
        .filter(application_id=pk)
        .select_related("application"),
        pk=document_pk,
    )
    # Staff reach this address too (the rule lets them): the opening is logged for them.
    return access_log.serve_application_file(request, document, content_type=document.content_type)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = (
        Notification.objects.filter(recipient=request.user)
        .select_related("application")
        .order_by("-created_at")[:100]
    )
    return render(request, "permits/applicant/notifications.html", {"notifications": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        unread = unread.filter(pk=request.POST["id"])
    unread.update(read_at=timezone.now())
    return redirect("permits:notifications")


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Public tracking: the step timeline for a tracking number and its access code, with no
    personal data. The lookup and its throttle are :func:`permits.access.track`, shared with
    the tracking API: a wrong number and a wrong code give the same message, and failures
    from one address count against it through either door."""
    from . import access, fragments

    application, status = None, 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            number, code = form.cleaned_data["nomor"], form.cleaned_data["kode"]
            try:
                application = access.track(number, code, access.client_address(request))
            except access.TrackingRefused as refused:
                form.add_error(None, str(refused))
                status = 429 if refused.throttled else 404
            else:
                access.remember_tracked(request.session, "application", application)
        else:
            status = 400
    else:
        number = request.GET.get("nomor", "")[:40]
        form = TrackForm(initial={"nomor": number})
        application = access.tracked_again(
            request.session,
            "application",
            Application.objects.exclude(status=Application.Status.DRAFT).select_related(
                "service", "service_clock"
            ),
            "tracking_number",
            number,
        )
    # The result is the same for whoever passed the check above: rendered once per version.
    result = fragments.tracking_result(application) if application else None
    context = {"form": form, "application": application, "result": result}
    response = render(request, "permits/applicant/track.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    # Not "no-referrer": the browser would then send "Origin: null" and fail the CSRF check.
    response["Referrer-Policy"] = "same-origin"
    return response
