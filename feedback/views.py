"""Public pages: the survey reached from the invitation link, the complaint form and the
complaint tracking page. Thin callers of ``surveys`` and ``complaints``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from permits import access as tracking
from permits.uploads import UploadRejected

from . import complaints, surveys
from .forms import ComplaintForm, SurveyForm, TrackComplaintForm
from .models import Complaint

ATTACHMENT_FORMATS = complaints.ATTACHMENT_FORMATS
FILED_SESSION_KEY = "feedback.filed_complaint"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The survey of one finished application, reached by the signed invitation link."""
    application = surveys.application_from_token(token)
    if application is None or application.status not in surveys.FINISHED_STATUSES:
        raise Http404
    answered = not surveys.can_answer(application)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and not answered:
        if form.is_valid():
            try:
                surveys.answer_online(application, form.cleaned_data, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                return redirect("feedback:survey_thanks")
        else:
            form.add_error(None, _("Please answer all nine questions with a value from 1 to 4."))
            status = 400
    elif request.method == "POST":
        status = 409
    context = {"form": form, "application": application, "answered": answered}
    return _private(render(request, "feedback/survey_answer.html", context, status=status))


def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/survey_thanks.html")


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The public complaint form: anonymous allowed; linked to the user when signed in."""
    form = ComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                filed = _file(request, form)
            except complaints.FilingLimitReached as error:
                form.add_error(None, error)
                filed, status = None, 429
            if filed is not None:
                request.session[FILED_SESSION_KEY] = {
                    "number": filed.complaint.number,
                    "code": filed.access_code,
                }
                return redirect("feedback:complaint_filed")
    return _private(render(request, "feedback/complaint_form.html", {"form": form}, status=status))


def _file(request: HttpRequest, form: ComplaintForm):
    data = form.cleaned_data
    application = None
    if data["tracking_number"]:
        try:
            # A guess at an application's access code like any other: the tracking throttle.
            application = tracking.track(
                data["tracking_number"],
                data["application_code"],
                tracking.client_address(request),
                find=lambda number, code: complaints.linkable_application(
                    number, request.user, code
                ),
            )
        except tracking.TrackingRefused:
            # The same words whatever the reason: nothing about someone else's file leaks.
            form.add_error(
                "tracking_number",
                _(
                    "We cannot link this application: check the number, and give its access "
                    "code unless you are signed in as its applicant."
                ),
            )
            return None
    try:
        return complaints.file_complaint(
            category=data["category"],
            text=data["text"],
            user=request.user,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            service=data["service"],
            application=application,
            attachment=data.get("attachment") or None,
            address=tracking.client_address(request),
        )
    except complaints.FilingLimitReached:
        raise
    except UploadRejected as error:
        form.add_error("attachment", error)
    except ValidationError as error:
        form.add_error(None, error)
    return None


def complaint_filed(request: HttpRequest) -> HttpResponse:
    """The number and access code of the complaint just filed, shown once."""
    filed = request.session.pop(FILED_SESSION_KEY, None)
    if not filed:
        return redirect("feedback:complaint_track")
    return _private(render(request, "feedback/complaint_filed.html", {"filed": filed}))


@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    """Number + access code → status and public replies; no staff names. Failures count
    against the client address on the one tracking throttle (``permits.access.track``)."""
    complaint, status = None, 200
    if request.method == "POST":
        form = TrackComplaintForm(request.POST)
        if form.is_valid():
            number, code = form.cleaned_data["nomor"], form.cleaned_data["kode"]
            address = tracking.client_address(request)
            try:
                complaint = tracking.track(number, code, address, find=complaints.find_tracked)
            except tracking.TrackingRefused as refused:
                if refused.throttled:
                    form.add_error(None, str(refused))
                    status = 429
                else:
                    form.add_error(None, _("No complaint matches this number and access code."))
                    status = 404
            else:
                tracking.remember_tracked(request.session, "complaint", complaint)
        else:
            status = 400
    else:
        number = request.GET.get("nomor", "")[:40]
        form = TrackComplaintForm(initial={"nomor": number})
        complaint = tracking.tracked_again(
            request.session, "complaint", Complaint.objects.all(), "number", number
        )
    replies = list(complaint.replies.filter(is_public=True)) if complaint else []
    context = {"form": form, "complaint": complaint, "replies": replies}
    return _private(render(request, "feedback/complaint_track.html", context, status=status))


def flash_error(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
