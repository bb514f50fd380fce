"""The task page: the form of each step action, its errors shown as messages with the input
kept, and two people acting on one task at once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from permits import lifecycle
from permits.models import (
    Application,
    ApplicationDocument,
    Attachment,
    Decision,
    Inspection,
    IssuedDocument,
    Recommendation,
)
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import HANDOVER, open_tasks, pdf, submitted, the_task
from workflows.models import Task

from .helpers import check_all, client_for, post_task, task_url, texts, through_check

pytestmark = pytest.mark.django_db


def recommended(application, cast) -> None:
    for user, agency in ((cast.citra, "DISHUB"), (cast.gita, "DLH")):
        response = post_task(
            user, the_task(application, 3, agency), {"verdict": "recommend", "notes": "ok"}
        )
        assert response.status_code == 302, texts(response)


def decided(application, cast, verdict: str = "approve", reasons: str = "") -> None:
    response = post_task(
        cast.fajar, the_task(application, 4), {"verdict": verdict, "reasons": reasons}
    )
    assert response.status_code == 302, texts(response)


def test_it_shows_the_file_with_documents_timeline_and_the_check_form(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    response = client_for(cast.budi).get(task_url(the_task(application, 2)))
    page = response.content.decode()
    assert response.status_code == 200
    assert application.tracking_number in page and "Ani Pemohon" in page
    assert "Denah lokasi" in page and "Ask to correct" in page
    assert response.context["kind"] == "check"
    assert len(list(response.context["events"])) >= 3


def test_it_completes_the_check_and_sends_the_file_to_both_opds(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    assert {t.agency.code for t in open_tasks(application, 3)} == {"DISHUB", "DLH"}
    assert set(application.documents.values_list("status", flat=True)) == {
        ApplicationDocument.Status.ACCEPTED
    }


def test_it_returns_the_named_document_to_the_applicant(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    data = check_all(application) | {
        "doc_denah": "correct",
        "reason_denah": "Denah tidak terbaca",
        "op": "return",
    }
    response = post_task(cast.budi, the_task(application, 2), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    denah = application.documents.get(requirement_code="denah", is_current=True)
    assert denah.status == ApplicationDocument.Status.NEEDS_CORRECTION
    assert denah.reason == "Denah tidak terbaca"


def test_it_keeps_the_check_input_when_a_reason_is_missing(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    data = check_all(application) | {"doc_denah": "correct", "notes": "catatan saya"}
    response = post_task(cast.budi, the_task(application, 2), data)
    assert response.status_code == 400
    denah = application.documents.get(requirement_code="denah", is_current=True)
    assert f"Say what is wrong with {denah.requirement_name}." in response.content.decode()
    assert "catatan saya" in response.content.decode()
    assert application.tasks.get(step__no=2).status == Task.Status.OPEN


def test_it_refuses_a_return_without_a_document_named(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    response = post_task(
        cast.budi, the_task(application, 2), check_all(application) | {"op": "return"}
    )
    assert response.status_code == 200
    assert "Mark the documents the applicant must correct." in texts(response)


def test_it_records_recommendations_with_conditions_and_attachments(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    missing = post_task(cast.citra, task, {"verdict": "recommend_with_conditions"})
    assert missing.status_code == 400
    assert "State the conditions of the recommendation." in missing.content.decode()
    response = post_task(
        cast.citra,
        task,
        {
            "verdict": "recommend_with_conditions",
            "conditions": "Trayek hanya siang hari",
            "notes": "Sesuai BAP",
            "attachments": [pdf("bap.pdf")],
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(task=task)
    assert recommendation.conditions == "Trayek hanya siang hari"
    assert Attachment.objects.get(task=task).original_name == "bap.pdf"
    # The other agency still has to answer: nothing moves on yet.
    assert [t.agency.code for t in open_tasks(application)] == ["DLH"]


def test_it_shows_a_refused_attachment_as_a_message(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    fake = SimpleUploadedFile("bap.pdf", b"<html><script>alert(1)</script></html>")
    response = post_task(
        cast.citra,
        the_task(application, 3, "DISHUB"),
        {"verdict": "recommend", "notes": "lihat lampiran", "attachments": [fake]},
    )
    assert response.status_code == 200
    assert texts(response)
    assert "lihat lampiran" in response.content.decode()
    assert not Recommendation.objects.exists() and not Attachment.objects.exists()


def test_it_decides_and_needs_reasons_to_reject(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    recommended(application, cast)
    refused = post_task(cast.fajar, the_task(application, 4), {"verdict": "reject"})
    assert "Give the reasons for the rejection." in refused.content.decode()
    decided(application, cast, "reject", "Lokasi tidak sesuai tata ruang")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert the_task(application, 7).step.action == "issue_rejection"


def test_it_shows_the_bill_and_confirms_payment_after_the_proof(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    recommended(application, cast)
    decided(application, cast)
    task = the_task(application, 5)
    page = client_for(cast.yusuf).get(task_url(task))
    payment = page.context["payment"]
    assert payment.billing_number in page.content.decode()
    assert "Rp 150.000" in page.content.decode()
    early = post_task(cast.yusuf, task, {"notes": ""})
    assert "The applicant has not uploaded the proof of payment yet." in texts(early)
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    wrong = post_task(cast.yusuf, task, {"notes": "lunas", "payment_code": "BL-1"})
    assert any("The payment code does not match this bill" in t for t in texts(wrong))
    code = payment.billing_number.lower().replace("-", " - ")
    assert post_task(cast.yusuf, task, {"notes": "lunas", "payment_code": code}).status_code == 302
    payment.refresh_from_db()
    assert payment.confirmed_by == cast.yusuf


def test_it_issues_the_permit_when_the_head_signs_off(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    recommended(application, cast)
    decided(application, cast)
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    pay = the_task(application, 5)
    post_task(cast.yusuf, pay, {"payment_code": pay.payment.billing_number})
    signing = {"passphrase": SIGNING_PASSPHRASE}
    assert post_task(cast.dewi, the_task(application, 6), signing).status_code == 302
    issued = IssuedDocument.objects.get(application=application)
    assert issued.kind == IssuedDocument.Kind.PERMIT
    handover = the_task(application, 8)
    assert post_task(cast.budi, handover, {"notes": "diserahkan", **HANDOVER}).status_code == 302
    application.refresh_from_db()
    assert application.status in (Application.Status.ISSUED, Application.Status.COMPLETED)


def test_it_schedules_the_field_visit_then_takes_the_report(akdp, cast):
    application = submitted(akdp, cast.ani)
    through_check(application, cast.budi)
    post_task(cast.fajar, the_task(application, 3), {"notes": "lengkap"})
    task = the_task(application, 4)
    past = post_task(cast.citra, task, {"visit_on": "2000-01-01"})
    assert "The visit date cannot be in the past." in past.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert post_task(cast.citra, task, {"visit_on": tomorrow.isoformat()}).status_code == 302
    task.refresh_from_db()
    assert task.is_paused and task.paused_until == tomorrow
    page = client_for(cast.citra).get(task_url(task))
    assert page.context["kind"] == "inspect"
    early = post_task(cast.citra, task, {"report": pdf("bap.pdf"), "passed": "yes"})
    assert early.status_code == 200
    assert any("report on it after the visit" in m for m in texts(early))
    Inspection.objects.filter(task=task).update(visit_on=timezone.localdate())
    done = post_task(
        cast.citra, task, {"report": pdf("bap.pdf"), "findings": "Baik", "passed": "yes"}
    )
    assert done.status_code == 302
    assert Inspection.objects.get(task=task).findings == "Baik"
    assert the_task(application, 5).step.action == "recommend"


def test_it_tells_the_second_person_that_the_task_is_already_done(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    citra, cahya = client_for(cast.citra), client_for(cast.cahya)
    assert citra.get(task_url(task)).context["may_act"]
    assert cahya.get(task_url(task)).context["may_act"]
    first = citra.post(task_url(task), {"verdict": "recommend", "notes": "ok"})
    second = cahya.post(task_url(task), {"verdict": "not_recommend", "notes": "tidak"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert any("already completed by Citra OPD" in m for m in texts(second))
    assert "tidak" in second.content.decode()
    assert Recommendation.objects.get(task=task).verdict == "recommend"


def test_it_runs_a_generic_decision_with_yes_or_no(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    recommended(application, cast)
    decided(application, cast, "reject", "Tidak sesuai")
    assert Decision.objects.get(application=application).reasons == "Tidak sesuai"
    signing = {"passphrase": SIGNING_PASSPHRASE}
    assert post_task(cast.dewi, the_task(application, 7), signing).status_code == 302
    issued = IssuedDocument.objects.get(application=application)
    assert issued.kind == IssuedDocument.Kind.REJECTION
    assert issued.reasons == "Tidak sesuai"
