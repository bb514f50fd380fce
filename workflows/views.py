"""Staff pages for SOPs under /kelola/ (administrators only): the SOP list, a version page that is
the editor while the version is a draft, review actions, the difference between two versions and
the XLSX template. Thin callers of :mod:`workflows.editor`, :mod:`workflows.versions`,
:mod:`workflows.diff` and :mod:`workflows.spreadsheet`."""

import re
from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import is_administrator
from sop_portal.models import AuditEntry

from . import editor, versions
from .access import may_review_sops
from .forms import (
    ApproveForm,
    IdentityForm,
    NewSopForm,
    NewStepForm,
    PerformerForm,
    ReturnForm,
    StepForm,
)
from .models import Sop, SopVersion
from .validation import Problem

# --- access ----------------------------------------------------------------------------------


def administrator_required(view):
    """Anonymous visitors are sent to sign in; signed-in non-administrators get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def reviewer_required(view):
    """The review pages and actions: the office's head and administrators
    (:func:`workflows.access.may_review_sops`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_review_sops(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _version(code: str, number: int) -> SopVersion:
    return get_object_or_404(
        SopVersion.objects.select_related("sop", "created_by", "published_by"),
        sop__code=code,
        version=number,
    )


def _version_url(version: SopVersion, anchor: str = "") -> str:
    url = reverse("workflows:sop_version", args=[version.sop.code, version.version])
    return f"{url}#{anchor}" if anchor else url


def _document_url(name: str, version: SopVersion) -> str | None:
    """A URL of the SOP document pages (preview, PDF) when they are installed."""
    for args in ([version.sop.code, version.version], [version.pk]):
        try:
            return reverse(f"workflows:{name}", args=args)
        except NoReverseMatch:
            continue
    return None


# --- problems next to the place at fault -----------------------------------------------------

STEP_PATH = re.compile(r"^sop\.steps\[(\d+)\](?:\.(\w+))?")
PERFORMER_PATH = re.compile(r"^sop\.performers\[(\d+)\](?:\.(\w+))?")
IDENTITY_FIELD = {
    "approved_by.position": "approved_by_position",
    "approved_by.name": "approved_by_name",
    "approved_by.nip": "approved_by_nip",
}
EXIT_FIELD = {"next": "next_no", "on_yes": "yes_no", "on_no": "no_no", "duration": "duration_value"}


def place_problems(problems: list[Problem], version: SopVersion) -> dict:
    """Group a version's problems by where the editor shows them: per step number, per
    performer key, per identity field, and the rest."""
    steps: dict[int, list[str]] = defaultdict(list)
    performers: dict[str, list[str]] = defaultdict(list)
    identity: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    keys = list(version.performers.order_by("position", "id").values_list("key", flat=True))
    step_labels = {name: capfirst(field.label) for name, field in StepForm.base_fields.items()}
    for problem in problems:
        match = STEP_PATH.match(problem.path)
        if match and problem.step is not None:
            key = match.group(2)
            label = step_labels.get(EXIT_FIELD.get(key, key or ""), key)
            steps[problem.step].append(f"{label}: {problem.message}" if key else problem.message)
            continue
        match = PERFORMER_PATH.match(problem.path)
        if match and int(match.group(1)) < len(keys):
            performers[keys[int(match.group(1))]].append(problem.message)
            continue
        field = re.sub(r"\[\d+\]$", "", problem.path.removeprefix("sop."))
        field = IDENTITY_FIELD.get(field, field)
        if field in SopVersion.CONTENT_FIELDS:
            identity[field].append(problem.message)
        else:
            general.append(str(problem))
    return {
        "steps": dict(steps),
        "performers": dict(performers),
        "identity": dict(identity),
        "general": general,
        "count": len(problems),
    }


# --- list, new SOP, version page ---------------------------------------------------------------


@administrator_required
def sop_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    sops = Sop.objects.prefetch_related(
        Prefetch("versions", queryset=SopVersion.objects.order_by("-version"))
    ).order_by("code")
    if q:
        sops = sops.filter(
            Q(code__icontains=q) | Q(versions__name__icontains=q) | Q(versions__number__icontains=q)
        ).distinct()
    sops = sops.annotate(version_count=Count("versions"))
    return render(request, "workflows/editor/sop_list.html", {"sops": sops, "q": q})


@administrator_required
def sop_new(request: HttpRequest) -> HttpResponse:
    form = NewSopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = versions.start_sop(
                form.cleaned_data["code"], form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("SOP created. Add its performers and steps."))
            return redirect(_version_url(version))
    status = 400 if form.errors else 200
    return render(request, "workflows/editor/sop_new.html", {"form": form}, status=status)


@administrator_required
def sop_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = SopVersion.objects.filter(sop__code=code).order_by("-version").first()
    if version is None:
        raise Http404
    return redirect(_version_url(version))


@administrator_required
def sop_version(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    return render(request, "workflows/editor/version.html", _version_context(v))


def _version_context(v: SopVersion, **forms) -> dict:
    steps = list(v.steps.select_related("performer").order_by("no"))
    performers = list(v.performers.select_related("agency").order_by("position", "id"))
    used = {s.performer_id for s in steps}
    problems = place_problems(versions.content_problems(v), v)
    for step in steps:
        step.problems = problems["steps"].get(step.no, [])
    for performer in performers:
        performer.problems = problems["performers"].get(performer.key, [])
    siblings = list(v.sop.versions.order_by("-version").values_list("version", "status"))
    previous = next((n for n, _s in siblings if n < v.version), None)
    context = {
        "version": v,
        "sop": v.sop,
        "steps": steps,
        "performers": performers,
        "used_performers": used,
        "problems": problems,
        "siblings": siblings,
        "previous": previous,
        "history": _history(v, steps, performers),
        "total_time": v.total_time_norm(),
        "time_warning": editor.service_time_warning(v),
        "preview_url": _document_url("sop_preview", v),
        "pdf_url": _document_url("sop_pdf", v),
        "open_version": v.sop.versions.filter(status__in=versions.OPEN_STATUSES).first(),
    }
    if v.is_draft:
        identity_form = forms.get("identity_form") or IdentityForm.for_version(v)
        context["identity_form"] = identity_form
        context["identity_fields"] = [
            (field, problems["identity"].get(field.name, [])) for field in identity_form
        ]
        context["list_fields"] = editor.IDENTITY_LISTS
    else:
        context["identity_lists"] = [
            (IdentityForm.base_fields[name].label, getattr(v, name) or [])
            for name in editor.IDENTITY_LISTS
        ]
    if v.is_draft:
        context["performer_form"] = forms.get("performer_form") or PerformerForm(prefix="performer")
        context["step_form"] = forms.get("step_form") or NewStepForm(version=v, prefix="step")
    if v.status == SopVersion.Status.IN_REVIEW:
        context["return_form"] = forms.get("return_form") or ReturnForm()
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            initial={"effective_on": v.effective_on}
        )
    return context


# What the history of a version shows for each audit action code.
AUDIT_LABELS = {
    "workflows.sop.created": gettext_lazy("SOP created"),
    "workflows.sop_version.created": gettext_lazy("Version created"),
    "workflows.sop_version.drafted": gettext_lazy("Draft started"),
    "workflows.sop_version.imported": gettext_lazy("Imported from an SOP document"),
    "workflows.sop_version.uploaded": gettext_lazy("Uploaded from a spreadsheet"),
    "workflows.sop_version.copied": gettext_lazy("Copied into a new draft"),
    "workflows.sop_version.identity_updated": gettext_lazy("Identity section changed"),
    "workflows.sop_version.submitted": gettext_lazy("Submitted for review"),
    "workflows.sop_version.returned": gettext_lazy("Returned for revision"),
    "workflows.sop_version.approved": gettext_lazy("Approved"),
    "workflows.sop_version.published": gettext_lazy("Published"),
    "workflows.sop_version.superseded": gettext_lazy("Replaced by a newer version"),
    "workflows.sop_version.deleted": gettext_lazy("Draft deleted"),
    "workflows.sop_performer.added": gettext_lazy("Performer added"),
    "workflows.sop_performer.updated": gettext_lazy("Performer changed"),
    "workflows.sop_performer.moved": gettext_lazy("Performer moved"),
    "workflows.sop_performer.deleted": gettext_lazy("Performer removed"),
    "workflows.sop_step.added": gettext_lazy("Step added"),
    "workflows.sop_step.updated": gettext_lazy("Step changed"),
    "workflows.sop_step.moved": gettext_lazy("Step moved"),
    "workflows.sop_step.deleted": gettext_lazy("Step removed"),
    "workflows.sop_version.sopsteps_edited": gettext_lazy("Steps changed in the admin"),
    "workflows.sop_version.sopperformers_edited": gettext_lazy("Performers changed in the admin"),
}


def audit_label(action: str) -> str:
    """The human label of an audit action code; an unknown code reads as its last part
    ("workflows.sop_version.archived" -> "Archived")."""
    label = AUDIT_LABELS.get(action)
    if label is not None:
        return str(label)
    return capfirst(action.rsplit(".", 1)[-1].replace("_", " "))


def _history(v: SopVersion, steps, performers) -> list[AuditEntry]:
    """Who did what and when: the version's own entries and those of its steps and
    performers, newest first, each with its human ``label``."""
    parts = Q(object_type="workflows.sopstep", object_id__in=[str(s.pk) for s in steps]) | Q(
        object_type="workflows.sopperformer", object_id__in=[str(p.pk) for p in performers]
    )
    own = Q(object_type="workflows.sopversion", object_id=str(v.pk))
    entries = list(
        AuditEntry.objects.filter(own | parts)
        .select_related("actor")
        .order_by("-created_at", "-id")[:100]
    )
    for entry in entries:
        entry.label = audit_label(entry.action)
    return entries


def _invalid(request, v: SopVersion, **forms) -> HttpResponse:
    return render(
        request, "workflows/editor/version.html", _version_context(v, **forms), status=400
    )


def _locked(request, v: SopVersion, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_version_url(v))
