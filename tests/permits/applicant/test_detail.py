"""The application page: timeline, documents, correction, payment, withdrawal, the issued
document, notifications, and 404 for everybody else's files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permits import lifecycle
from permits.models import Application, ApplicationDocument, Notification, Payment
from tests.permits.lifecycle.kit import pdf, submitted, the_task
from workflows import engine

pytestmark = pytest.mark.django_db


def _detail(application) -> str:
    return reverse("permits:application_detail", args=[application.pk])


def _returned(two_opd, cast) -> Application:
    application = submitted(two_opd, cast.ani)
    engine.return_to_applicant(
        the_task(application, 2), cast.budi, "Dokumen kurang jelas", {"ktp": "KTP buram"}
    )
    application.refresh_from_db()
    return application


def test_it_shows_the_step_timeline_with_the_agency_holding_the_file(client, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, "yes")
    client.force_login(cast.ani)
    page = client.get(_detail(application)).content.decode()
    assert "Memeriksa kelengkapan" in page and "Memberikan rekomendasi teknis" in page
    timeline = page.split('id="timeline-title"')[1]
    assert "Dinas Perhubungan" in timeline and "In progress" in timeline
    assert "Budi" not in page  # agencies, never officers' names
    assert "KTP" in page and "Denah lokasi" in page


def test_it_answers_a_correction_by_replacing_exactly_the_named_documents(client, cast, two_opd):
    application = _returned(two_opd, cast)
    client.force_login(cast.ani)
    page = client.get(_detail(application)).content.decode()
    assert "Correction requested" in page and "KTP buram" in page
    assert "Waiting for the applicant" in page
    assert 'name="doc_ktp"' in page and 'name="doc_denah"' not in page
    url = reverse("permits:application_correct", args=[application.pk])
    refused = client.post(url, {"note": "Sudah diganti"})
    assert refused.status_code == 400 and refused.context["correction_form"].errors["doc_ktp"]
    response = client.post(url, {"doc_ktp": pdf("ktp-baru.pdf"), "note": "Sudah diganti"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status != Application.Status.RETURNED
    ktp = application.documents.current().get(requirement_code="ktp")
    assert ktp.original_name == "ktp-baru.pdf" and ktp.version == 2
    assert application.documents.get(requirement_code="denah").version == 1


def test_it_refuses_a_bad_replacement_file_and_keeps_the_file_returned(client, cast, two_opd):
    application = _returned(two_opd, cast)
    client.force_login(cast.ani)
    url = reverse("permits:application_correct", args=[application.pk])
    fake = SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(url, {"doc_ktp": fake, "note": "x"})
    assert response.status_code == 400 and "ktp.pdf" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    assert application.documents.filter(requirement_code="ktp").count() == 1


def test_it_withdraws_with_a_reason_after_confirmation(client, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    client.force_login(cast.ani)
    url = reverse("permits:application_withdraw", args=[application.pk])
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {"reason": "Salah layanan"})
    assert unconfirmed.context["form"].errors["confirm"]
    application.refresh_from_db()
    assert application.status != Application.Status.WITHDRAWN
    client.post(url, {"reason": "Salah layanan", "confirm": "on"})
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    page = client.get(_detail(application)).content.decode()
    assert "Salah layanan" in page and url not in page


def _to_payment(two_opd, cast) -> Application:
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, "yes")
    for officer, agency in ((cast.citra, "DISHUB"), (cast.gita, "DLH")):
        engine.complete(
            the_task(application, 3, agency),
            officer,
            data={"verdict": "recommend", "notes": "Baik"},
        )
    engine.complete(the_task(application, 4), cast.fajar, "yes", data={"verdict": "approve"})
    return application


def test_it_shows_the_bill_and_takes_the_proof_of_payment(client, cast, two_opd):
    application = _to_payment(two_opd, cast)
    payment = Payment.objects.get(application=application)
    client.force_login(cast.ani)
    page = client.get(_detail(application)).content.decode()
    assert payment.billing_number in page and "150.000" in page
    url = reverse("permits:application_payment", args=[application.pk])
    client.post(url, {"proof": pdf("bukti-bayar.pdf")})
    payment.refresh_from_db()
    assert payment.proof_uploaded_at is not None


def test_it_lists_the_notifications_and_marks_them_read(client, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    notes = Notification.objects.filter(recipient=cast.ani)
    assert notes.exists()
    client.force_login(cast.ani)
    page = client.get(reverse("permits:notifications")).content.decode()
    assert _detail(application) in page and "Mark as read" in page
    client.post(reverse("permits:notifications_read"), {"id": notes.first().pk})
    assert notes.filter(read_at__isnull=False).count() == 1
    client.post(reverse("permits:notifications_read"))
    assert not notes.filter(read_at__isnull=True).exists()
    client.force_login(cast.bayu)
    assert _detail(application) not in client.get(reverse("permits:notifications")).content.decode()


def test_it_serves_the_applicants_own_documents_privately(client, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    document = application.documents.first()
    client.force_login(cast.ani)
    response = client.get(reverse("permits:applicant_document", args=[application.pk, document.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_it_answers_404_for_another_applicants_application_and_documents(client, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    draft = lifecycle.create_draft(two_opd, cast.ani)
    document = ApplicationDocument.objects.filter(application=application).first()
    client.force_login(cast.bayu)
    pk = application.pk
    for url, method in [
        (_detail(application), "get"),
        (reverse("permits:application_form", args=[draft.pk]), "get"),
        (reverse("permits:application_form", args=[draft.pk]), "post"),
        (reverse("permits:application_submitted", args=[pk]), "get"),
        (reverse("permits:application_receipt", args=[pk]), "get"),
        (reverse("permits:application_correct", args=[pk]), "post"),
        (reverse("permits:application_payment", args=[pk]), "post"),
        (reverse("permits:application_withdraw", args=[pk]), "get"),
        (reverse("permits:application_withdraw", args=[pk]), "post"),
        (reverse("permits:applicant_document", args=[pk, document.pk]), "get"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url
    application.refresh_from_db()
    assert application.status != Application.Status.WITHDRAWN
