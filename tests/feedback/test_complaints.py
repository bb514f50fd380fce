"""Complaints: the public form and tracking, linking an application, staff assignment and
replies, object-level access, the response clock and the figures."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from agencies.models import Agency
from feedback import complaints, stats
from feedback.models import Complaint
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import PDF, submitted
from workflows import calendar

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def file_online(client: Client, **data) -> dict:
    form = {"category": "service_time", "text": "Izin saya lama sekali.", **data}
    response = client.post("/pengaduan/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response.url)
    return {"number": page.context["filed"]["number"], "code": page.context["filed"]["code"]}


def track(client: Client, number: str, code: str):
    return client.post("/pengaduan/lacak/", {"nomor": number, "kode": code})


def test_an_anonymous_visitor_files_and_tracks_a_complaint(cast):
    visitor = Client()
    filed = file_online(visitor)
    complaint = Complaint.objects.get(number=filed["number"])
    assert complaint.complainant is None and complaint.name == ""
    assert complaint.status == Complaint.Status.RECEIVED
    assert filed["code"] not in complaint.access_code_hash
    page = track(visitor, filed["number"], filed["code"])
    assert page.status_code == 200
    assert "Izin saya lama sekali." in page.content.decode()
    assert page.context["complaint"] == complaint
    # The access code is shown once: the confirmation page does not show it again.
    assert visitor.get("/pengaduan/terkirim/").status_code == 302


def test_without_the_code_nobody_sees_the_complaint(cast):
    filed = file_online(client_for(cast.ani))
    for who in (None, cast.bayu):
        wrong = track(client_for(who), filed["number"], "SALAH123")
        assert wrong.status_code == 404
        assert "Izin saya lama sekali." not in wrong.content.decode()
        assert "No complaint matches" in wrong.content.decode()
    unknown = track(Client(), "ADU-1999-00001", filed["code"])
    assert unknown.status_code == 404


def test_a_signed_in_complainant_is_linked_and_may_name_their_application(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    filed = file_online(client_for(cast.ani), tracking_number=application.tracking_number)
    complaint = Complaint.objects.get(number=filed["number"])
    assert complaint.complainant == cast.ani and complaint.email == cast.ani.email
    assert complaint.application == application and complaint.service == two_opd


def test_someone_else_cannot_name_an_application_without_its_code(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    others = client_for(cast.bayu)
    refused = others.post(
        "/pengaduan/",
        {"category": "other", "text": "x", "tracking_number": application.tracking_number},
    )
    nonexistent = others.post(
        "/pengaduan/", {"category": "other", "text": "x", "tracking_number": "SOP-1999-000001"}
    )
    assert refused.status_code == nonexistent.status_code == 400
    message = "We cannot link this application"
    assert message in refused.content.decode() and message in nonexistent.content.decode()
    assert cast.ani.full_name not in refused.content.decode()
    assert not Complaint.objects.exists()
    code = "ABCD2345"
    from permits.numbering import hash_access_code

    application.access_code_hash = hash_access_code(application.tracking_number, code)
    application.save(update_fields=["access_code_hash"])
    filed = file_online(
        Client(), tracking_number=application.tracking_number, application_code=code
    )
    assert Complaint.objects.get(number=filed["number"]).application == application


def test_an_attachment_is_checked_and_kept_private(cast, rina):
    fake = SimpleUploadedFile("foto.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = Client().post("/pengaduan/", {"category": "other", "text": "x", "attachment": fake})
    assert refused.status_code == 400 and not Complaint.objects.exists()
    good = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    filed = file_online(Client(), attachment=good)
    complaint = Complaint.objects.get(number=filed["number"])
    assert complaint.attachment_name == "bukti.pdf"
    url = f"/pantau/pengaduan/{complaint.pk}/lampiran/"
    assert client_for(rina).get(url).status_code == 200
    assert client_for(cast.citra).get(url).status_code == 404
    assert Client().get(url).status_code in (302, 404)


def test_the_response_is_due_after_five_working_days(cast, settings):
    filed = file_online(Client())
    complaint = Complaint.objects.get(number=filed["number"])
    expected = calendar.current().due(complaint.received_at, complaints.response_norm())
    assert complaints.response_norm().value == 5
    assert complaint.due_at == expected
    settings.COMPLAINT_RESPONSE_DAYS = 2
    assert complaints.due_at(complaint.received_at) < expected


def test_the_unit_assigns_and_only_that_agency_sees_it(cast, rina):
    filed = file_online(Client(), email="warga@contoh.id", name="Warga")
    complaint = Complaint.objects.get(number=filed["number"])
    detail = f"/pantau/pengaduan/{complaint.pk}/"
    assert client_for(cast.citra).get(detail).status_code == 404
    inbox = client_for(rina).get("/pantau/pengaduan/")
    assert filed["number"] in inbox.content.decode()
    dishub = Agency.objects.get(code="DISHUB")
    response = client_for(rina).post(f"{detail}tugaskan/", {"agency": dishub.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_agency == dishub and complaint.status == Complaint.Status.IN_PROGRESS
    assert client_for(cast.citra).get(detail).status_code == 200
    assert filed["number"] in client_for(cast.citra).get("/pantau/pengaduan/").content.decode()
    # Agency Y (DLH), an applicant and nobody signed in: nothing.
    assert client_for(cast.gita).get(detail).status_code == 404
    assert filed["number"] not in client_for(cast.gita).get("/pantau/pengaduan/").content.decode()
    assert client_for(cast.bayu).get(detail).status_code == 404
    assert client_for(cast.bayu).get("/pantau/pengaduan/").status_code == 404
    # Agency X may reply but not re-assign.
    client_for(cast.citra).post(f"{detail}tugaskan/", {"agency": cast.gita.pk})
    complaint.refresh_from_db()
    assert complaint.assigned_agency == dishub
    assert AuditEntry.objects.filter(action="feedback.complaint.assigned").count() == 1


def test_a_public_reply_reaches_the_complainant_and_a_note_does_not(
    cast, rina, django_capture_on_commit_callbacks
):
    filed = file_online(Client(), email="warga@contoh.id")
    complaint = Complaint.objects.get(number=filed["number"])
    staff = client_for(rina)
    url = f"/pantau/pengaduan/{complaint.pk}/balas/"
    staff.post(url, {"text": "Catatan internal: cek berkas."})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.IN_PROGRESS and complaint.answered_at is None
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, {"text": "Berkas Anda sudah kami proses.", "is_public": "on"})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED and complaint.answered_on_time
    page = track(Client(), filed["number"], filed["code"]).content.decode()
    assert "Berkas Anda sudah kami proses." in page
    assert "Catatan internal" not in page
    assert "Rina" not in page  # a unit and a role, never a person
    assert "Complaints and reporting officer" in page
    mails = [m for m in mail.outbox if m.to == ["warga@contoh.id"]]
    assert len(mails) == 1 and "Berkas Anda sudah kami proses." in mails[0].body


def test_statuses_move_by_audited_transitions(cast, rina):
    filed = file_online(Client())
    complaint = Complaint.objects.get(number=filed["number"])
    complaints.set_status(complaint, Complaint.Status.IN_PROGRESS, by=rina)
    with pytest.raises(complaints.ComplaintError):
        complaints.set_status(complaint, Complaint.Status.ANSWERED, by=rina)
    complaints.reply(complaint, "Sudah selesai.", by=rina)
    closed = complaints.set_status(complaint, Complaint.Status.CLOSED, by=rina, reason="selesai")
    assert closed.status == Complaint.Status.CLOSED and closed.closed_at
    with pytest.raises(complaints.ComplaintError):
        complaints.reply(complaint, "lagi", by=rina)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "feedback.complaint.filed",
        "feedback.complaint.in_progress",
        "feedback.complaint.replied",
        "feedback.complaint.closed",
    } <= actions
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        complaints.set_status(complaint, Complaint.Status.IN_PROGRESS, by=cast.citra)


def test_complaint_figures_count_the_period(cast, rina, django_assert_max_num_queries):
    today = timezone.localdate()
    made = [
        complaints.file_complaint(category="other", text=f"aduan {i}").complaint for i in range(4)
    ]
    on_time, late, overdue, fresh = made
    complaints.reply(on_time, "Jawaban", by=rina)
    Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    complaints.reply(late, "Jawaban terlambat", by=rina)
    Complaint.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=1))
    old = complaints.file_complaint(category="other", text="lama").complaint
    Complaint.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=90))
    with django_assert_max_num_queries(2):
        figures = stats.complaint_figures(today - timedelta(days=7), today)
    assert figures.received == 4
    assert figures.resolved == 2 and figures.resolved_on_time == 1
    assert figures.open == 2 and figures.overdue == 1
    assert figures.by_status["answered"] == 2 and figures.by_status["received"] == 2
    assert figures.by_status["closed"] == 0
    assert fresh.status == "received"
    empty = stats.complaint_figures(today - timedelta(days=400), today - timedelta(days=300))
    assert empty.received == 0 and empty.on_time_rate is None


def test_the_inbox_answers_in_constant_queries(cast, rina, django_assert_max_num_queries):
    client = client_for(rina)
    complaints.file_complaint(category="other", text="satu")
    with django_assert_max_num_queries(12) as few:
        client.get("/pantau/pengaduan/")
    for i in range(15):
        complaints.file_complaint(category="fees", text=f"aduan {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/pantau/pengaduan/")
    assert len(page.context["page"].object_list) == 16


def test_a_signed_in_complainant_gets_a_portal_notice_on_reply(cast, rina):
    from permits.models import Notification

    filed = file_online(client_for(cast.ani))
    complaint = Complaint.objects.get(number=filed["number"])
    complaints.reply(complaint, "Kami tindak lanjuti.", by=rina, public=False)
    assert not Notification.objects.filter(recipient=cast.ani).exists()
    complaints.reply(complaint, "Sudah kami tindak lanjuti.", by=rina)
    notice = Notification.objects.get(recipient=cast.ani)
    assert filed["number"] in notice.text and "/pengaduan/lacak/" in notice.link


def test_floods_of_complaints_are_refused(cast, settings):
    settings.COMPLAINT_MAX_PER_HOUR = 2
    visitor = Client()
    file_online(visitor)
    file_online(visitor)
    third = visitor.post("/pengaduan/", {"category": "other", "text": "lagi"})
    assert third.status_code == 429 and Complaint.objects.count() == 2


def test_guessing_access_codes_is_throttled(cast, settings):
    settings.TRACKING_MAX_ATTEMPTS = 3
    filed = file_online(Client())
    guesser = Client()
    for _ in range(3):
        assert track(guesser, filed["number"], "SALAH123").status_code == 404
    assert track(guesser, filed["number"], filed["code"]).status_code == 429
