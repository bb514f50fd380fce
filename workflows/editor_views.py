"""The SOP editor's writes under /kelola/ (administrators only): a draft version's identity,
performers and steps. Thin callers of :mod:`workflows.editor`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import editor, versions
from .forms import IdentityForm, NewStepForm, PerformerForm, StepForm
from .models import SopVersion
from .views import (
    _invalid,
    _locked,
    _version,
    _version_url,
    administrator_required,
    place_problems,
)


@administrator_required
@require_POST
def sop_identity(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            editor.update_identity(v, form.cleaned_data, by=request.user)
        except ValidationError as error:
            if not v.is_draft:
                return _locked(request, v, error)
            form.apply_error(error)
        else:
            messages.success(request, _("Identity saved."))
            return redirect(_version_url(v, "identity"))
    return _invalid(request, v, identity_form=form)


@administrator_required
@require_POST
def sop_performer_add(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    form = PerformerForm(request.POST, prefix="performer")
    if form.is_valid():
        try:
            editor.add_performer(v, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not v.is_draft:
                return _locked(request, v, error)
            form.apply_error(error)
        else:
            return redirect(_version_url(v, "performers"))
    return _invalid(request, v, performer_form=form)


@administrator_required
def sop_performer_edit(request: HttpRequest, code: str, version: int, key: str) -> HttpResponse:
    v = _version(code, version)
    performer = get_object_or_404(v.performers, key=key)
    initial = {
        "key": performer.key,
        "title": performer.title,
        "short_title": performer.short_title,
        "role": performer.role,
        "agency": performer.agency,
        "for_technical": performer.for_technical,
    }
    form = PerformerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            editor.update_performer(performer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not v.is_draft:
                return _locked(request, v, error)
            form.apply_error(error)
        else:
            return redirect(_version_url(v, "performers"))
    return render(
        request,
        "workflows/editor/performer_form.html",
        {"version": v, "performer": performer, "form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
@require_POST
def sop_performer_move(request: HttpRequest, code: str, version: int, key: str) -> HttpResponse:
    v = _version(code, version)
    performer = get_object_or_404(v.performers, key=key)
    try:
        editor.move_performer(performer, _offset(request), by=request.user)
    except ValidationError as error:
        return _locked(request, v, error)
    return redirect(_version_url(v, "performers"))


@administrator_required
@require_POST
def sop_performer_delete(request: HttpRequest, code: str, version: int, key: str) -> HttpResponse:
    v = _version(code, version)
    performer = get_object_or_404(v.performers, key=key)
    try:
        editor.delete_performer(performer, by=request.user)
    except ValidationError as error:
        return _locked(request, v, error)
    return redirect(_version_url(v, "performers"))


def _offset(request: HttpRequest) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


def _step_fields(cleaned: dict) -> dict:
    return {k: v for k, v in cleaned.items() if k != "at"}


@administrator_required
@require_POST
def sop_step_add(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    form = NewStepForm(request.POST, version=v, prefix="step")
    if form.is_valid():
        try:
            step = editor.add_step(
                v,
                at=form.cleaned_data.get("at"),
                by=request.user,
                **_step_fields(form.cleaned_data),
            )
        except ValidationError as error:
            if not v.is_draft:
                return _locked(request, v, error)
            form.apply_error(error)
        else:
            return redirect(_version_url(v, f"step-{step.no}"))
    return _invalid(request, v, step_form=form)


def _step_initial(step) -> dict:
    initial = {f: getattr(step, f) for f in editor.STEP_FIELDS}
    initial["requirements"] = "\n".join(step.requirements or [])
    initial["output"] = "\n".join(step.output or [])
    return initial


@administrator_required
def sop_step_edit(request: HttpRequest, code: str, version: int, no: int) -> HttpResponse:
    """A step's form on its own page; with htmx, the form replaces the step's row and the saved
    row comes back in place."""
    v = _version(code, version)
    step = get_object_or_404(v.steps.select_related("performer"), no=no)
    form = StepForm(request.POST or None, version=v, initial=_step_initial(step))
    if request.method == "POST" and form.is_valid():
        try:
            step = editor.update_step(step, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not v.is_draft:
                return _locked(request, v, error)
            form.apply_error(error)
        else:
            if request.htmx:
                return _step_row(request, v, step)
            return redirect(_version_url(v, f"step-{step.no}"))
    template = (
        "workflows/editor/_step_form_row.html"
        if request.htmx
        else "workflows/editor/step_form.html"
    )
    return render(
        request,
        template,
        {"version": v, "step": step, "form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
def sop_step_row(request: HttpRequest, code: str, version: int, no: int) -> HttpResponse:
    """One step's row of the editor (htmx: "cancel" of an in-place edit)."""
    v = _version(code, version)
    step = get_object_or_404(v.steps.select_related("performer"), no=no)
    return _step_row(request, v, step)


def _step_row(request, v: SopVersion, step) -> HttpResponse:
    problems = place_problems(versions.content_problems(v), v)
    step.problems = problems["steps"].get(step.no, [])
    return render(
        request,
        "workflows/editor/_step_row.html",
        {"version": v, "step": step, "problems": problems, "steps_count": v.steps.count()},
    )


@administrator_required
@require_POST
def sop_step_move(request: HttpRequest, code: str, version: int, no: int) -> HttpResponse:
    v = _version(code, version)
    step = get_object_or_404(v.steps, no=no)
    try:
        step = editor.move_step(step, _offset(request), by=request.user)
    except ValidationError as error:
        return _locked(request, v, error)
    return redirect(_version_url(v, f"step-{step.no}"))


@administrator_required
@require_POST
def sop_step_delete(request: HttpRequest, code: str, version: int, no: int) -> HttpResponse:
    v = _version(code, version)
    step = get_object_or_404(v.steps, no=no)
    try:
        editor.delete_step(step, by=request.user)
    except ValidationError as error:
        return _locked(request, v, error)
    messages.success(request, _("Step %(no)d deleted.") % {"no": no})
    return redirect(_version_url(v, "steps"))
