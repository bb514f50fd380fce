"""The office's printed forms of an application, through the one PDF renderer
(:func:`sop_portal.pdf.render_pdf`) and the letterhead of the issued documents:

- the completeness checklist (*daftar periksa kelengkapan berkas*): each requirement in the
  service's order, the document handed in, the verdict and its reason, who checked it and when;
- the disposition / routing sheet (*lembar disposisi / lembar kendali*): who holds the file now,
  since when and until when it is due, then every step it went through;
- the handover receipt (*tanda terima penyerahan*): the document handed over, who collected it,
  the identity shown, the date and the two signature lines.

Who may print them is the one rule of applications (:func:`permits.access
.applications_visible_to`), applied by the caller."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sop_portal.pdf import render_pdf
from workflows.models import Task

from .models import Application, ApplicationDocument, CompletenessCheck, Handover

#: The kinds a staff member can print, with the file name's stem.
KINDS = {
    "checklist": "daftar-periksa",
    "disposition": "lembar-disposisi",
    "handover": "tanda-terima-penyerahan",
}


class NothingToPrint(Exception):
    """The form has no content yet (no handover recorded): a 404 for the page."""


@dataclass
class ChecklistRow:
    no: int
    name: str
    mandatory: bool
    document: ApplicationDocument | None
    check: CompletenessCheck | None

    @property
    def verdict(self) -> str:
        if self.document is None:
            return str(_("Not handed in"))
        if self.check is None:
            return str(_("Not checked yet"))
        return str(_("Complete")) if self.check.accepted else str(_("Needs correction"))


def _common(application: Application) -> dict:
    return {
        "application": application,
        "service": application.service,
        "applicant": application.applicant,
        "PORTAL": settings.PORTAL,
        "printed_at": timezone.now(),
    }


def checklist_rows(application: Application) -> list[ChecklistRow]:
    """One row per requirement of the service in its order; the current document and its
    latest verdict (a correction's new version shows its own check)."""
    documents = {d.requirement_code: d for d in application.documents.current()}
    checks: dict[int, CompletenessCheck] = {}
    for check in (
        CompletenessCheck.objects.filter(document__application=application)
        .select_related("checked_by")
        .order_by("checked_at", "id")
    ):
        checks[check.document_id] = check
    rows = []
    requirements = application.service.requirements.order_by("position", "id")
    for no, requirement in enumerate(requirements, start=1):
        document = documents.get(requirement.code)
        check = checks.get(document.pk) if document else None
        rows.append(ChecklistRow(no, requirement.name, requirement.mandatory, document, check))
    return rows


def checklist_pdf(application: Application) -> bytes:
    rows = checklist_rows(application)
    checkers = [r.check for r in rows if r.check]
    last = max(checkers, key=lambda c: c.checked_at) if checkers else None
    context = {**_common(application), "rows": rows, "last_check": last}
    return render_pdf("permits/office/checklist_pdf.html", context)


def routing(application: Application) -> list[Task]:
    return list(
        application.tasks.select_related("step", "agency", "assignee", "completed_by").order_by(
            "opened_at", "id"
        )
    )


def disposition_pdf(application: Application) -> bytes:
    from workflows.models import ServiceClock

    tasks = routing(application)
    context = {
        **_common(application),
        "service_clock": ServiceClock.objects.filter(application=application).first(),
        "tasks": tasks,
        "holding": [t for t in tasks if t.status == Task.Status.OPEN],
    }
    return render_pdf("permits/office/disposition_pdf.html", context)


def latest_handover(application: Application) -> Handover | None:
    return (
        Handover.objects.filter(application=application)
        .select_related("document", "handed_by")
        .order_by("-handed_at", "-id")
        .first()
    )


def handover_pdf(application: Application) -> bytes:
    handover = latest_handover(application)
    if handover is None:
        raise NothingToPrint
    context = {**_common(application), "handover": handover}
    return render_pdf("permits/office/handover_pdf.html", context)


RENDERERS = {
    "checklist": checklist_pdf,
    "disposition": disposition_pdf,
    "handover": handover_pdf,
}


def render(kind: str, application: Application) -> bytes:
    return RENDERERS[kind](application)
