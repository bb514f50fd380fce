"""What the applicant's pages and the public tracking page need beyond the lifecycle: the
applicant's list, the lookup by tracking number and
access code with its throttle, and the receipt (*bukti pendaftaran*). The step timeline and its
clocks are in ``permits.progress``."""

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sop_portal.pdf import render_pdf
from sop_portal.qr import qr_svg
from workflows.models import Task

from . import access_codes
from .models import Application, ApplicationDocument, IssuedDocument, Payment, PaymentChannel


def applicant_applications(user) -> QuerySet[Application]:
    """The user's own applications with what the list shows, in a fixed number of queries."""
    open_tasks = Task.objects.filter(status=Task.Status.OPEN).select_related(
        "agency", "step__performer"
    )
    return (
        Application.objects.filter(applicant=user)
        .select_related("service")
        .prefetch_related(Prefetch("tasks", queryset=open_tasks, to_attr="open_tasks"))
        .order_by("-created_at", "-pk")
    )


def current_documents(application: Application) -> list[ApplicationDocument]:
    return list(application.documents.current().order_by("requirement__position", "id"))


def documents_to_correct(application: Application) -> list[ApplicationDocument]:
    """The current documents the office asked to replace (only while the file is returned)."""
    if application.status != Application.Status.RETURNED:
        return []
    return [
        d
        for d in current_documents(application)
        if d.status == ApplicationDocument.Status.NEEDS_CORRECTION
    ]


def open_payment(application: Application) -> Payment | None:
    """The bill waiting for the applicant's payment, if any."""
    return (
        Payment.objects.filter(
            application=application, confirmed_at__isnull=True, task__status=Task.Status.OPEN
        )
        .order_by("-created_at")
        .first()
    )


def payment_channels() -> list[PaymentChannel]:
    """The channels printed on a bill, as the administrator set them."""
    return list(PaymentChannel.objects.active())


def issued_documents(application: Application) -> list[IssuedDocument]:
    return list(IssuedDocument.objects.filter(application=application).order_by("issued_at"))


def issued_download_url(issued: IssuedDocument) -> str:
    """The download address of an issued document, or "" while its page does not exist."""
    try:
        return reverse("permits:issued_document_download", args=[issued.pk])
    except NoReverseMatch:
        return ""


# --- public tracking: the lookup and its throttle are permits.access.track -------------------


# --- the receipt ----------------------------------------------------------------------------


def tracking_url(application: Application, request) -> str:
    path = reverse("permits:track") + f"?nomor={application.tracking_number}"
    return request.build_absolute_uri(path)


def receipt_pdf(application: Application, request) -> bytes:
    """The *bukti pendaftaran*: tracking number, the access code (every copy: the code is
    readable again by its owner and the front office, ``permits.access_codes``), service,
    dates, the documents handed in and a QR code to the public tracking page. A file entered
    at the counter says so and names the front-office member."""
    access_code = access_codes.readable_code(application, request.user)
    url = tracking_url(application, request)
    context = {
        "application": application,
        "service": application.service,
        "applicant": application.applicant,
        "documents": current_documents(application),
        "access_code": access_code,
        "tracking_url": url,
        "qr": qr_svg(url),
        "printed_at": timezone.now(),
    }
    return render_pdf("permits/applicant/receipt_pdf.html", context)
