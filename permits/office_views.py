"""The office's printed forms of an application (``permits.office_forms``) and the counter
pages (``permits.counter``): thin callers; who may see a file is :mod:`permits.access`."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from workflows.engine import EngineError

from . import (
    access,
    access_codes,
    applicant_services,
    counter,
    counter_forms,
    lifecycle,
    office_forms,
)
from .applicant_forms import DraftDocumentsForm, PaymentProofForm, data_field_name, field_name
from .models import Application
from .staff_views import staff_required
from .storage import content_disposition


def _staff_application(request: HttpRequest, pk: int) -> Application:
    """A submitted application the staff member may see (the one access rule), else a 404."""
    return get_object_or_404(
        access.applications_visible_to(request.user)
        .exclude(status=Application.Status.DRAFT)
        .select_related("service", "applicant", "entered_by"),
        pk=pk,
    )


@staff_required
def print_form(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The completeness checklist, the disposition sheet or the handover receipt (PDF)."""
    if kind not in office_forms.KINDS:
        raise Http404
    application = _staff_application(request, pk)
    try:
        pdf = office_forms.render(kind, application)
    except office_forms.NothingToPrint:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{office_forms.KINDS[kind]}-{application.tracking_number}.pdf"
    response["Content-Disposition"] = content_disposition(name, as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the counter -------------------------------------------------------------------------


def counter_required(view):
    """The front office (and administrators) only; a 404 for anyone else."""

    @wraps(view)
    @staff_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not access.may_serve_at_counter(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _person(request: HttpRequest, pk: int) -> User:
    found = counter.find_person(request.user, pk)
    if found is None:
        raise Http404
    return found


def _counter_application(request: HttpRequest, pk: int) -> Application:
    """An application the front office serves: one entered at the counter (its draft too) or
    any submitted one it sees (a walk-in asking for a new access code)."""
    application = get_object_or_404(
        access.counter_applications(request.user).select_related(
            "service", "applicant", "entered_by", "sop_version"
        ),
        pk=pk,
    )
    if application.status == Application.Status.DRAFT and application.entered_by_id is None:
        raise Http404
    return application


def _refused(request: HttpRequest, error: Exception) -> None:
    messages.error(request, getattr(error, "message", None) or str(error))


@counter_required
@require_http_methods(["GET", "POST"])
def counter_home(request: HttpRequest) -> HttpResponse:
    """Find the walk-in applicant, or register them (with their consent)."""
    search = counter_forms.PersonSearchForm(request.GET or None)
    people = []
    if search.is_valid() and search.cleaned_data["q"]:
        people = list(counter.find_people(request.user, search.cleaned_data["q"]))
    register = counter_forms.RegisterPersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if register.is_valid():
            try:
                person = counter.register_person(request.user, **register.cleaned_data)
            except EngineError as error:
                register.add_error(None, error.message)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person})
                return redirect("permits:counter_person", pk=person.pk)
        status = 400
    context = {
        "search": search,
        "searched": search.is_valid() and bool(search.cleaned_data["q"]),
        "people": people,
        "register": register,
        "drafts": counter.counter_drafts(request.user).order_by("-created_at")[:20],
    }
    return render(request, "permits/counter/home.html", context, status=status)


@counter_required
@require_http_methods(["GET", "POST"])
def counter_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = counter_forms.StartApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = counter.start_application(
                request.user, person, form.cleaned_data["service"]
            )
        except EngineError as error:
            _refused(request, error)
        else:
            return redirect("permits:counter_application", pk=application.pk)
    context = {
        "person": person,
        "form": form,
        "applications": Application.objects.filter(applicant=person)
        .select_related("service")
        .order_by("-created_at")[:50],
        "claimable": counter.is_claimable(person),
    }
    status = 400 if form.errors else 200
    return render(request, "permits/counter/person.html", context, status=status)


@counter_required
@require_POST
def counter_claim_link(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        counter.send_claim_link(request.user, person)
    except EngineError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The link to claim the account was e-mailed to %(email)s.") % {"email": person.email},
        )
    return redirect("permits:counter_person", pk=pk)


@counter_required
@require_http_methods(["GET", "POST"])
def counter_application(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter draft: the scanned documents (the applicant's upload door and check), then
    submit; once submitted, what the counter hands over (receipt, access code)."""
    application = _counter_application(request, pk)
    if application.status != Application.Status.DRAFT:
        return _served(request, application)
    requirements = list(application.service.requirements.order_by("position", "id"))
    form = DraftDocumentsForm(
        request.POST or None,
        request.FILES or None,
        requirements=requirements,
        declared=application.service.application_fields,
        initial={data_field_name(code): value for code, value in application.data.items()},
    )
    if request.method == "POST":
        form.is_valid()
        form.save_answers(application, request.user)
        for code, uploaded in form.uploads().items():
            try:
                lifecycle.attach_document(application, request.user, code, uploaded)
            except lifecycle.UploadRejected as error:
                form.add_error(field_name(code), error)
            except EngineError as error:
                form.add_error(None, error.message)
        if not form.errors and "submit" in request.POST:
            try:
                lifecycle.submit(application, request.user)
            except EngineError as error:
                _refused(request, error)
            else:
                messages.success(request, _("The application is submitted."))
                return redirect("permits:counter_application", pk=pk)
        elif not form.errors:
            messages.success(request, _("The draft is saved."))
            return redirect("permits:counter_application", pk=pk)
    documents = {d.requirement_code: d for d in applicant_services.current_documents(application)}
    rows = [
        {"requirement": r, "field": form[field_name(r.code)], "document": documents.get(r.code)}
        for r in requirements
    ]
    missing = [r.name for r in lifecycle.missing_requirements(application)]
    context = {"application": application, "form": form, "rows": rows, "missing": missing}
    return render(
        request,
        "permits/counter/application.html",
        context,
        status=400 if form.errors else 200,
    )


def _served(request, application, payment_form=None, status=200) -> HttpResponse:
    """The submitted file at the counter: receipt, access code, and the bill waiting for the
    walk-in's payment (the front office scans the proof they bring)."""
    payment = applicant_services.open_payment(application)
    context = {
        "application": application,
        "access_code": access_codes.readable_code(application, request.user),
        "claimable": counter.is_claimable(application.applicant),
        "payment": payment,
        "payment_form": payment_form or PaymentProofForm(),
    }
    return render(request, "permits/counter/served.html", context, status=status)


@counter_required
@require_POST
def counter_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """The walk-in brings the proof of payment: the front office uploads it on their behalf
    (``lifecycle.upload_payment_proof``, the applicant's own transition; the clock runs again)."""
    application = _counter_application(request, pk)
    form = PaymentProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            lifecycle.upload_payment_proof(application, request.user, form.cleaned_data["proof"])
        except lifecycle.UploadRejected as error:
            form.add_error("proof", error)
        except EngineError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The proof of payment was sent to the cashier."))
            return redirect("permits:counter_application", pk=pk)
    return _served(request, application, payment_form=form, status=400)


@counter_required
def counter_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = _counter_application(request, pk)
    if not application.tracking_number:
        raise Http404
    response = HttpResponse(
        applicant_services.receipt_pdf(application, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition(
        f"bukti-pendaftaran-{application.tracking_number}.pdf", as_attachment=False
    )
    response["Cache-Control"] = "private, no-store"
    return response


@counter_required
@require_POST
def counter_reissue_code(request: HttpRequest, pk: int) -> HttpResponse:
    application = _counter_application(request, pk)
    try:
        access_codes.reissue(application, request.user, reason=request.POST.get("reason", "")[:500])
    except EngineError as error:
        _refused(request, error)
    else:
        messages.success(request, _("A new access code was issued; the old one no longer works."))
    return redirect("permits:counter_application", pk=pk)


# --- the person claims the account online ------------------------------------------------


@require_http_methods(["GET", "POST"])
def claim_account(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mailed claim link: set a password (public; the token is the credential)."""
    person = counter.person_for_claim(uidb64, token)
    if person is None:
        return render(request, "permits/counter/claim.html", {"invalid": True}, status=400)
    form = counter_forms.ClaimForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        counter.claim(person, form.cleaned_data["password1"])
        messages.success(request, _("Your account is ready: sign in with your e-mail address."))
        return redirect("login")
    status = 400 if form.errors else 200
    return render(
        request, "permits/counter/claim.html", {"form": form, "person": person}, status=status
    )
