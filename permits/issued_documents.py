"""The PDFs of issued documents: the permit (*Keputusan*) and the rejection letter, with their
number, holder, date in WITA, the conditions of the recommendations and a QR code to the public
verification page. Rendered through ``sop_portal.pdf``, the one renderer."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sop_portal import links
from sop_portal.pdf import render_pdf
from sop_portal.qr import qr_svg

from . import application_data
from .models import IssuedDocument, Recommendation

# The province's documents are dated in its own time zone (WITA, UTC+8).
WITA = ZoneInfo("Asia/Makassar")
TEMPLATES = {
    IssuedDocument.Kind.PERMIT: "permits/documents/permit.html",
    IssuedDocument.Kind.REJECTION: "permits/documents/rejection.html",
}


def verification_url(issued: IssuedDocument, base_url: str | None = None) -> str:
    """The absolute address of the document's public verification page (what the QR holds)."""
    path = reverse("permits:verify", args=[issued.verification_token])
    return base_url.rstrip("/") + path if base_url else links.absolute(path)


def conditions(issued: IssuedDocument) -> list[Recommendation]:
    """The recommendations that set conditions, in the order they were given."""
    return list(
        issued.application.recommendations.exclude(conditions="")
        .select_related("agency")
        .order_by("given_at", "id")
    )


#: Where and how long a rejected applicant may object: UU 30/2014 tentang Administrasi
#: Pemerintahan, Pasal 75–77 (upaya administratif: keberatan to the official who decided,
#: written, within 21 working days of the decision, the official decides within 10 working
#: days) and Pasal 78 (banding to the official's superior); then the administrative court
#: (PTUN), Perma 6/2018. The 21 working days are the limit the Supreme Court's chamber
#: rulings apply (putusan3.mahkamahagung.go.id, rumusan kamar, upaya hukum administrasi 2021).
OBJECTION_WORKING_DAYS = 21
OBJECTION_ANSWER_WORKING_DAYS = 10


def _answers(issued: IssuedDocument) -> tuple[list, dict]:
    """The declared fields and answers the document prints: its own snapshot once issued,
    the application's while previewed."""
    data = issued.data or {}
    if "fields" in data:
        return data.get("fields") or [], data.get("answers") or {}
    application = issued.application
    return application.service.application_fields, application.data


def _rows_in_indonesian(fields: list, answers: dict, holder: str) -> list:
    """The declared fields as the document prints them: in Indonesian, without what it says
    already (who applied as what, the company named as the holder)."""
    shown = {k: v for k, v in answers.items() if k != "applicant_kind"}
    if shown.get("company_name") == holder:
        shown.pop("company_name")
    with translation.override("id"):
        return application_data.rows(fields, shown)


def issued_document_context(issued: IssuedDocument, base_url: str | None = None) -> dict:
    from workflows import calendar

    url = verification_url(issued, base_url)
    issued_on = issued.issued_at.astimezone(WITA)
    fields, answers = _answers(issued)
    return {
        "issued": issued,
        "application": issued.application,
        "issued_on": issued_on,
        # The documents are in Indonesian whoever renders them (the labels are translated).
        "data_rows": _rows_in_indonesian(fields, answers, issued.holder_name),
        "objection_days": OBJECTION_WORKING_DAYS,
        "objection_answer_days": OBJECTION_ANSWER_WORKING_DAYS,
        "objection_until": calendar.current().working_day_after(
            issued_on.date(), OBJECTION_WORKING_DAYS
        ),
        "conditions": conditions(issued),
        "verification_url": url,
        "qr": qr_svg(url),
        "PORTAL": settings.PORTAL,
    }


def issued_document_pdf(issued: IssuedDocument, base_url: str | None = None) -> bytes:
    """The PDF of the permit or of the rejection letter."""
    return render_pdf(TEMPLATES[issued.kind], issued_document_context(issued, base_url))


def preview(application, kind: str, by, base_url: str | None = None) -> bytes:
    """The PDF the head is about to sign, rendered as it will be issued (same template, same
    renderer, the application's details, conditions and reasons), before its number is
    drawn: what they read before typing their passphrase."""
    from django.utils import timezone

    from .issuing import _valid_until, document_data, holder_of

    now = timezone.now()
    issued = IssuedDocument(
        application=application,
        kind=kind,
        number="…/…/" + application.service.code + "/…",
        year=now.year,
        sequence=0,
        holder_name=holder_of(application),
        service_name=application.service.name,
        reasons=_latest_reasons(application) if kind == IssuedDocument.Kind.REJECTION else "",
        data=document_data(application),
        issued_at=now,
        issued_by=by,
        verification_token="pratinjau",
        valid_until=_valid_until(application, now.astimezone(WITA).date())
        if kind == IssuedDocument.Kind.PERMIT
        else None,
    )
    if application.previous_permit_id:
        issued.data |= {
            "replaces": application.previous_permit.number,
            "purpose": application.purpose,
        }
    return render_pdf(TEMPLATES[kind], issued_document_context(issued, base_url))


def _latest_reasons(application) -> str:
    decision = application.decisions.order_by("-decided_at", "-id").first()
    return decision.reasons if decision else ""


def serve_signed(issued: IssuedDocument):
    """The stored signed PDF of ``issued`` as a download (the bytes whose SHA-256 the
    verification page checks). The one door of every page and API view that serves it; the
    caller has checked ``permits.access.may_download_issued``."""
    from .storage import serve_private_file

    return serve_private_file(
        issued.file,
        download_name=issued.number.replace("/", "-") + ".pdf",
        content_type="application/pdf",
    )
