"""An SOP's versions under /kelola/: a new draft, deleting a draft, submitting it for review,
the reviewer's return and approval, and the difference between two versions. Thin callers of
:mod:`workflows.versions` and :mod:`workflows.diff`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import is_administrator

from . import versions
from .diff import diff_versions
from .forms import ApproveForm, ReturnForm
from .models import Sop, SopVersion
from .validation import InvalidSop
from .views import (
    _invalid,
    _locked,
    _version,
    _version_url,
    administrator_required,
    reviewer_required,
)


@administrator_required
@require_POST
def sop_new_draft(request: HttpRequest, code: str) -> HttpResponse:
    sop = get_object_or_404(Sop, code=code)
    try:
        version = versions.new_draft(sop, by=request.user)
    except versions.OpenDraftExists as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(error.version))
    messages.success(request, _("Draft version %(n)d started.") % {"n": version.version})
    return redirect(_version_url(version))


@administrator_required
@require_POST
def sop_delete_draft(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    try:
        versions.delete_draft(v, by=request.user)
    except ValidationError as error:
        return _locked(request, v, error)
    messages.success(request, _("Draft deleted."))
    return redirect("workflows:sop_list")


@administrator_required
@require_POST
def sop_submit(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    try:
        versions.submit_for_review(v, by=request.user)
    except InvalidSop:
        messages.error(request, _("Correct the problems shown below before submitting."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted for review. Editing is locked."))
    return redirect(_version_url(v))


def _after_review(request: HttpRequest, v: SopVersion) -> HttpResponse:
    """Back to the page the reviewer came from: the review screen for a head, the editor's
    version page for an administrator."""
    if request.POST.get("from") == "review" or not is_administrator(request.user):
        return redirect("workflows:sop_review", code=v.sop.code, version=v.version)
    return redirect(_version_url(v))


@reviewer_required
@require_POST
def sop_return(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            versions.return_to_draft(v, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("Returned to draft."))
        return _after_review(request, v)
    return _invalid_review(request, v, return_form=form)


@reviewer_required
@require_POST
def sop_approve(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            versions.approve_and_publish(
                v, by=request.user, effective_on=form.cleaned_data["effective_on"]
            )
        except PermissionDenied as error:
            messages.error(request, _refusal(error))
            return _after_review(request, v)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("Approved and published."))
        return _after_review(request, v)
    return _invalid_review(request, v, approve_form=form)


def _invalid_review(request: HttpRequest, v: SopVersion, **forms) -> HttpResponse:
    """A review form with errors: the page it came from again, 400."""
    if request.POST.get("from") == "review" or not is_administrator(request.user):
        from .review_views import invalid_review

        return invalid_review(request, v, **forms)
    return _invalid(request, v, **forms)


def _refusal(error: Exception) -> str:
    """The message of a refused review action (a guard's ValidationError or PermissionDenied)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", "") or _("You may not do this."))


@administrator_required
def sop_diff(request: HttpRequest, code: str) -> HttpResponse:
    sop = get_object_or_404(Sop, code=code)
    numbers = list(sop.versions.order_by("version").values_list("version", flat=True))
    if len(numbers) < 2:
        messages.info(request, _("This SOP has only one version."))
        return redirect("workflows:sop_detail", code=code)

    def pick(name: str, default: int) -> int:
        try:
            value = int(request.GET.get(name, default))
        except ValueError:
            value = default
        return value if value in numbers else default

    a, b = pick("a", numbers[-2]), pick("b", numbers[-1])
    va, vb = _version(code, a), _version(code, b)
    return render(
        request,
        "workflows/editor/diff.html",
        {"sop": sop, "a": va, "b": vb, "diff": diff_versions(va, vb), "numbers": numbers},
    )
