"""The PDFs of issued documents: the permit (*Keputusan*) and the rejection letter, with their
number, holder, date in WITA, the conditions of the recommendations and a QR code to the public
verification page. Rendered through ``sop_portal.pdf``, the one renderer."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from sop_portal import links
from sop_portal.pdf import render_pdf
from sop_portal.qr import qr_svg

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


def issued_document_context(issued: IssuedDocument, base_url: str | None = None) -> dict:
    url = verification_url(issued, base_url)
    return {
        "issued": issued,
        "application": issued.application,
        "issued_on": issued.issued_at.astimezone(WITA),
        "conditions": conditions(issued),
        "verification_url": url,
        "qr": qr_svg(url),
        "PORTAL": settings.PORTAL,
    }


def issued_document_pdf(issued: IssuedDocument, base_url: str | None = None) -> bytes:
    """The PDF of the permit or of the rejection letter."""
    return render_pdf(TEMPLATES[issued.kind], issued_document_context(issued, base_url))


def preview(application, kind: str, by, base_url: str | None = None) -> str:
    """The HTML of the document the head is about to sign (the same template as the PDF),
    before its number is drawn: what they read before typing their passphrase."""
    from django.utils import timezone

    from .issuing import _valid_until

    now = timezone.now()
    issued = IssuedDocument(
        application=application,
        kind=kind,
        number="…/…/" + application.service.code + "/…",
        year=now.year,
        sequence=0,
        holder_name=application.applicant.full_name or application.applicant.email,
        service_name=application.service.name,
        issued_at=now,
        issued_by=by,
        verification_token="pratinjau",
        valid_until=_valid_until(application, now.astimezone(WITA).date())
        if kind == IssuedDocument.Kind.PERMIT
        else None,
    )
    if application.previous_permit_id:
        issued.data = {"replaces": application.previous_permit.number}
    from sop_portal.pdf import render_html

    return render_html(TEMPLATES[kind], issued_document_context(issued, base_url))


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
