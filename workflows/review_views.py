"""The reviewer's pages (the office's head and administrators, :func:`workflows.access.
may_review_sops`): the versions waiting for review, and one version's review screen — what
changed against the version in force, the PDF of the draft, who wrote it, and the return and
approve forms. Thin callers: the four-eyes rule and the transitions are in
:mod:`workflows.states.sop` / :mod:`workflows.versions`."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import effective
from .diff import diff_versions
from .forms import ApproveForm, ReturnForm
from .models import SopVersion
from .states.sop import authors
from .views import _version, reviewer_required


@reviewer_required
def review_list(request: HttpRequest) -> HttpResponse:
    waiting = list(
        SopVersion.objects.filter(status=SopVersion.Status.IN_REVIEW)
        .select_related("sop", "created_by")
        .order_by("sop__code")
    )
    return render(request, "workflows/review/list.html", {"waiting": waiting})


def review_context(request: HttpRequest, v: SopVersion, **forms) -> dict:
    """What the review screen shows: the version against the one in force (else the newest
    public one), whether the reader may approve it (four eyes) and the forms."""
    base = effective.in_force(v.sop) or (
        v.sop.versions.filter(status__in=effective.PUBLIC).exclude(pk=v.pk).first()
    )
    if base is not None and base.pk == v.pk:
        base = None
    wrote = request.user.pk in authors(v)
    return {
        "version": v,
        "sop": v.sop,
        "base": base,
        "diff": diff_versions(base, v) if base is not None else None,
        "pdf_url": reverse("workflows:sop_pdf", args=[v.pk]),
        "is_author": wrote,
        "four_eyes_blocks": wrote and settings.SOP_FOUR_EYES,
        "in_review": v.status == SopVersion.Status.IN_REVIEW,
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial={"effective_on": v.effective_on}),
        "return_form": forms.get("return_form") or ReturnForm(),
    }


@reviewer_required
def review(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    if v.status == SopVersion.Status.DRAFT:
        # A draft is the editor's working paper: nothing to review yet.
        raise Http404
    return render(request, "workflows/review/version.html", review_context(request, v))


def invalid_review(request: HttpRequest, v: SopVersion, **forms) -> HttpResponse:
    """The review screen again with the form's errors (400)."""
    return render(
        request, "workflows/review/version.html", review_context(request, v, **forms), status=400
    )
