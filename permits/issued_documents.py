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
