"""An SOP as a spreadsheet under /kelola/: the blank and filled XLSX templates, and uploading a
workbook that becomes a new draft (read in the worker). Thin callers of
:mod:`workflows.spreadsheet` and :mod:`workflows.workbook_import`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import spreadsheet, workbook_import
from .forms import UploadForm
from .models import Sop
from .views import _version, _version_url, administrator_required


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheet.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@administrator_required
def sop_xlsx_blank(request: HttpRequest) -> HttpResponse:
    return _xlsx(spreadsheet.workbook_bytes(), "sop-template.xlsx")


@administrator_required
def sop_xlsx(request: HttpRequest, code: str, version: int) -> HttpResponse:
    v = _version(code, version)
    return _xlsx(spreadsheet.workbook_bytes(v), f"sop-{v.sop.code}-v{v.version}.xlsx")


@administrator_required
def sop_upload(request: HttpRequest, code: str) -> HttpResponse:
    """The workbook is checked here (a zip bomb or a file that is not a workbook is a 400 at
    once) and parsed in the worker; the result page follows the job."""
    sop = get_object_or_404(Sop, code=code)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = workbook_import.start_import(sop, request.user, form.cleaned_data["workbook"])
        except workbook_import.ImportUnavailable as error:
            form.add_error(None, error)
            status = 503
        except ValidationError as error:
            form.add_error("workbook", error)
        else:
            return redirect("workflows:sop_upload_result", code=sop.code, job=job)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "workflows/editor/upload.html",
        {"sop": sop, "form": form, "problems": []},
        status=status,
    )


@administrator_required
def sop_upload_result(request: HttpRequest, code: str, job: str) -> HttpResponse:
    """Where an uploaded workbook stands: still being read (the page refreshes itself), the
    new draft (a redirect to it), or every problem found (400, nothing saved)."""
    sop = get_object_or_404(Sop, code=code)
    found = workbook_import.job_for(job, request.user)
    if found is None or found.sop_code != sop.code:
        raise Http404
    if found.state == workbook_import.DONE:
        messages.success(
            request, _("Draft version %(n)d created from the workbook.") % {"n": found.version}
        )
        return redirect(_version_url(_version(sop.code, found.version)))
    refused = found.state == workbook_import.REFUSED
    problems = [spreadsheet.WorkbookProblem(*p) for p in found.problems] if refused else []
    return render(
        request,
        "workflows/editor/upload.html",
        {"sop": sop, "form": UploadForm(), "problems": problems, "pending": not refused},
        status=400 if refused else 200,
    )
