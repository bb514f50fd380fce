"""The office's printed forms of an application (``permits.office_forms``) and the counter
pages (``permits.counter``): thin callers; who may see a file is :mod:`permits.access`."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from . import access, office_forms
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
