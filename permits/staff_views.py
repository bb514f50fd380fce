"""The staff pages: the inbox, the task page with the form of its step's action, claiming,
releasing and reassigning, the files of an application, issued documents and their public
verification page. Thin callers of ``workflows.engine`` and ``permits.actions``."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows import engine
from workflows.actions import NO, YES
from workflows.engine import EngineError
from workflows.models import StepAction, Symbol, Task

from . import access, access_log, fragments, issued_documents, verification
from . import actions as permit_actions
from . import staff_forms as forms
from . import staff_services as services
from .applicant_services import current_documents
from .models import (
    ApplicationDocument,
    Attachment,
    Handover,
    Inspection,
    IssuedDocument,
    Payment,
)

PAGE_SIZE = 20


def staff_required(view):
    """Signed-in staff only; anyone else gets a 404 (the pages do not exist for them)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not services.is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        services.staff_tasks(request.user).select_related(
            "application__service",
            "application__applicant",
            "step__performer",
            "agency",
            "assignee",
            "completed_by",
        ),
        pk=pk,
    )


def _domain_error(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, EngineError):
        messages.error(request, error.message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)


# --- inbox ---------------------------------------------------------------------------------


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    query = services.InboxQuery.from_params(request.GET)
    params = request.GET.copy()
    params.pop("page", None)

    def build() -> dict:
        page = services.IdsFirstPaginator(services.inbox(request.user, query), PAGE_SIZE)
        return {
            "query": query,
            "page": page.get_page(request.GET.get("page")),
            "params": params.urlencode(),
            "services": services.filter_choices()["services"],
            "actions": StepAction.choices,
        }

    body = fragments.inbox_body(request, query, request.GET.get("page", ""), build)
    return render(request, "permits/staff/inbox.html", {"query": query, "body": body})


@staff_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        engine.claim(task, request.user)
        messages.success(request, _("The task is yours now."))
    except EngineError as error:
        _domain_error(request, error)
    return redirect(_back(request, task))


@staff_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        engine.release(task, request.user)
        messages.success(request, _("The task is back in the agency's queue."))
    except EngineError as error:
        _domain_error(request, error)
    return redirect(_back(request, task))


@staff_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = forms.ReassignForm(request.POST, people=services.colleagues(task), auto_id=REASSIGN_ID)
    if not form.is_valid():
        action_form, kind = _action_form(task)
        context = _task_context(request, task, action_form, kind, reassign_form=form)
        return render(request, "permits/staff/task.html", context, status=400)
    try:
        engine.reassign(
            task, request.user, form.cleaned_data["to_user"], form.cleaned_data["reason"]
        )
        messages.success(
            request, _("The task was handed to %(who)s.") % {"who": form.cleaned_data["to_user"]}
        )
    except EngineError as error:
        _domain_error(request, error)
    return redirect("permits:task_detail", task.pk)


def _back(request: HttpRequest, task: Task) -> str:
    if request.POST.get("next") == "inbox":
        return reverse("permits:staff_inbox")
    return reverse("permits:task_detail", args=[task.pk])


# --- the task page -----------------------------------------------------------------------


def _action_form(task: Task, data=None, files=None):
    """The form of the task's step and its template, for its ``action``."""
    action = task.step.action
    decision = task.step.symbol == Symbol.DECISION
    if action == StepAction.CHECK:
        # The requirement's order (the SOP's list), not A–Z by code: issue 12 item 7.
        documents = current_documents(task.application)
        return forms.CheckForm(data, documents=documents), "check"
    if action == StepAction.RECOMMEND:
        return forms.RecommendForm(data, files), "recommend"
    if action == StepAction.INSPECT:
        if not Inspection.objects.filter(task=task).exists():
            return forms.ScheduleForm(data), "schedule"
        return forms.InspectionReportForm(data, files, decision=decision), "inspect"
    if action == StepAction.DECIDE:
        return forms.DecideForm(data), "decide"
    if action in (StepAction.ISSUE_PERMIT, StepAction.ISSUE_REJECTION):
        return forms.IssueForm(data, decision=decision), "issue"
    if action == StepAction.PAY:
        return forms.PayForm(data, decision=decision), "pay"
    if action == StepAction.HANDOVER:
        initial = {"collected_by": task.application.applicant.full_name}
        return forms.HandoverForm(data, decision=decision, initial=initial), "handover"
    return forms.NotesForm(data, decision=decision), "generic"


def _perform(task: Task, user, kind: str, form, op: str) -> str:
    """Run the transition for a valid form; returns the success message."""
    data = form.cleaned_data
    if kind == "check":
        corrections = form.corrections()
        if op == "return" or corrections:
            if not corrections:
                raise engine.InvalidOutcome(_("Mark the documents the applicant must correct."))
            reason = data["notes"] or "; ".join(corrections.values())
            engine.return_to_applicant(task, user, reason, corrections)
            return _("The file went back to the applicant.")
        engine.complete(task, user, None, data["notes"], {"results": {}})
        return _("The file is complete.")
    if kind == "recommend":
        engine.complete(
            task,
            user,
            None,
            data["notes"],
            {
                "verdict": data["verdict"],
                "conditions": data["conditions"],
                "notes": data["notes"],
                "attachments": data["attachments"],
            },
        )
        return _("The recommendation was recorded.")
    if kind == "schedule":
        permit_actions.schedule_inspection(task, user, data["visit_on"], data["note"])
        return _("The field visit is scheduled; the file waits until then.")
    if kind == "inspect":
        engine.complete(
            task,
            user,
            None,
            data["notes"],
            {
                "report": data["report"],
                "findings": data["findings"],
                "passed": data.get("passed", "yes") == "yes",
            },
        )
        return _("The inspection report was recorded.")
    if kind == "decide":
        engine.complete(
            task,
            user,
            None,
            data["reasons"],
            {"verdict": data["verdict"], "reasons": data["reasons"]},
        )
        return _("The decision was recorded.")
    outcome = data.get("outcome") or None
    extra = {"passphrase": data["passphrase"]} if kind == "issue" else {}
    if kind == "pay":
        extra = {"payment_code": data["payment_code"]}
    if kind == "handover":
        keys = ("collected_by", "relation", "identity_type", "identity_number")
        extra = {key: data[key] for key in keys}
    engine.complete(task, user, outcome, data["notes"], extra)
    if task.step.action == StepAction.ISSUE_PERMIT:
        return _("The permit was signed and issued.")
    if task.step.action == StepAction.ISSUE_REJECTION:
        return _("The rejection letter was signed and issued.")
    return _("The task is done.")


@staff_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form, kind = _action_form(task)
    if request.method == "POST":
        form, kind = _action_form(task, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = _perform(task, request.user, kind, form, request.POST.get("op", ""))
            except (EngineError, ValidationError) as error:
                _domain_error(request, error)
            else:
                messages.success(request, message)
                if kind in ("schedule", "handover"):
                    # The handover receipt is printed from the task page once it is done.
                    return redirect("permits:task_detail", task.pk)
                return redirect("permits:staff_inbox")
        else:
            context = _task_context(request, task, form, kind)
            return render(request, "permits/staff/task.html", context, status=400)
    return render(request, "permits/staff/task.html", _task_context(request, task, form, kind))


#: The reassignment form's ids, apart from the action form's (both can have a "reason").
REASSIGN_ID = "id_reassign_%s"


def _task_context(request: HttpRequest, task: Task, form, kind: str, reassign_form=None) -> dict:
    application = task.application
    documents = ApplicationDocument.objects.filter(application=application).order_by(
        "requirement__position", "requirement_code", "-version"
    )
    events = application.step_events.select_related("task__step", "task__agency", "by").order_by(
        "at", "id"
    )
    may_act = task.is_open and engine.may_perform(task, request.user)
    context = {
        "task": task,
        "application": application,
        "documents": documents,
        "events": events,
        "form": form,
        "kind": kind,
        "may_act": may_act and task.assignee_id in (None, request.user.pk),
        "is_decision": task.step.symbol == Symbol.DECISION,
        "attachments": Attachment.objects.filter(application=application).select_related(
            "task__agency"
        ),
        "inspection": Inspection.objects.filter(task=task).first(),
        "payment": Payment.objects.filter(task=task).first(),
        "handover": Handover.objects.filter(application=application).exists(),
        "reassign_form": reassign_form
        or forms.ReassignForm(people=services.colleagues(task), auto_id=REASSIGN_ID),
        "yes": YES,
        "no": NO,
        **services.application_summary(application),
    }
    context["siblings"] = Task.objects.filter(
        application=application, step=task.step, cycle=task.cycle
    ).select_related("agency", "assignee")
    return context


# --- files of an application -----------------------------------------------------------


FILE_KINDS = {
    "document": ApplicationDocument,
    "attachment": Attachment,
    "inspection": Inspection,
    "payment": Payment,
}


@staff_required
def staff_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A file of an application the user may see (:func:`permits.access.files_visible_to`);
    404 otherwise. The opening is logged (:func:`permits.access_log.serve_application_file`)."""
    if kind not in FILE_KINDS:
        raise Http404
    row = get_object_or_404(
        access.files_visible_to(request.user, FILE_KINDS[kind]).select_related("application"),
        pk=pk,
    )
    return access_log.serve_application_file(
        request, row, as_attachment=request.GET.get("inline") != "1"
    )


# --- issued documents ---------------------------------------------------------------------


@login_required
def issued_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF of an issued document (the stored bytes, whose hash the verification
    page checks), for its applicant and for staff who see the file."""
    issued = get_object_or_404(IssuedDocument.objects.select_related("application"), pk=pk)
    if not access.may_download_issued(request.user, issued):
        raise Http404
    return issued_documents.serve_signed(issued)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The public page the QR code opens (no login): whether the document is authentic and
    where it stands today (valid, expiring, expired, suspended, revoked, replaced by which),
    who signed it, and a check of a file's SHA-256 against the one issued."""
    issued = (
        IssuedDocument.objects.select_related("application", "replaced_by")
        .filter(verification_token=token)
        .first()
    )
    if issued is None:
        return render(request, "permits/verify.html", {"issued": None}, status=404)
    form = forms.HashCheckForm(request.POST or None, request.FILES or None)
    check = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            check = verification.file_matches(issued, form.cleaned_data["file"])
        else:
            status = 400
    return render(
        request,
        "permits/verify.html",
        {"issued": issued, "form": form, "check": check, **verification.summary(issued)},
        status=status,
    )
