"""The office's printed forms (issue 12.2): the completeness checklist, the disposition sheet
and the handover receipt, through the one PDF renderer; handover as a step with its fields."""

import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from permits import lifecycle
from permits.models import Application, Handover, IssuedDocument
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import HANDOVER, pdf, submitted, the_task
from tests.permits.staff.helpers import client_for, post_task, texts, through_check
from tests.permits.staff.test_task_actions import decided, recommended
from workflows import engine
from workflows.models import Task

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf", response.content[:200]
    reader = PdfReader(io.BytesIO(response.content))
    # Table cells wrap names over lines: compare with single spaces.
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _print(user, application, kind):
    url = reverse("permits:office_print", args=[application.pk, kind])
    return client_for(user).get(url)


def _issued(two_opd, cast) -> Application:
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    recommended(application, cast)
    decided(application, cast)
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    pay = the_task(application, 5)
    post_task(cast.yusuf, pay, {"payment_code": pay.payment.billing_number})
    post_task(cast.dewi, the_task(application, 6), {"passphrase": SIGNING_PASSPHRASE})
    return application


def test_the_checklist_prints_each_requirement_with_its_verdict_and_reason(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.return_to_applicant(
        the_task(application, 2), cast.budi, "Denah buram", {"denah": "Denah tidak terbaca"}
    )
    text = _text(_print(cast.budi, application, "checklist"))
    assert application.tracking_number in text and "Ani Pemohon" in text
    # Requirement order (KTP, Denah lokasi, Foto lokasi), the verdicts and the reason.
    assert text.index("KTP") < text.index("Denah lokasi") < text.index("Foto lokasi")
    assert "Denah tidak terbaca" in text and "Needs correction" in text
    assert "Not handed in" in text  # the optional photo was not uploaded


def test_the_checklist_after_a_complete_check_names_the_checker(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    text = _text(_print(cast.budi, application, "checklist"))
    assert text.count("Complete") >= 2 and "Budi Front Office" in text


def test_the_disposition_sheet_says_who_holds_the_file_since_when_and_due(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    dishub = the_task(application, 3, "DISHUB")
    engine.claim(dishub, cast.citra)
    text = _text(_print(cast.fajar, application, "disposition"))
    assert "Memeriksa kelengkapan" in text and "Memberikan rekomendasi teknis" in text
    assert "Citra OPD" in text and "since 2 December 2026, 10.00 WITA" in text
    # The service time, counted from the complete file, and its due date.
    clock = application.service_clock
    assert clock.due_at and f"due {clock.due_at.astimezone(WITA):%-d %B %Y, %H.%M}" in text
    assert "Budi Front Office" in text  # who finished the check


def test_the_handover_records_who_collected_it_and_prints_the_receipt(two_opd, cast):
    application = _issued(two_opd, cast)
    issued = IssuedDocument.objects.get(application=application)
    task = the_task(application, 8)
    data = {
        "collected_by": "Rudi Kurir",
        "relation": "proxy",
        "identity_type": "ktp",
        "identity_number": "7471020202900002",
        "notes": "Dengan surat kuasa",
    }
    response = post_task(cast.budi, task, data)
    assert response.status_code == 302, texts(response)
    handover = Handover.objects.get(application=application)
    assert (handover.collected_by, handover.handed_by, handover.document) == (
        "Rudi Kurir",
        cast.budi,
        issued,
    )
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    page = client_for(cast.budi).get(response.url).content.decode()
    assert reverse("permits:office_print", args=[application.pk, "handover"]) in page
    text = _text(_print(cast.budi, application, "handover"))
    for expected in (issued.number, "Rudi Kurir", "7471020202900002", "Budi Front Office"):
        assert expected in text
    assert "Handed over by" in text and "Received by" in text


def test_a_handover_without_the_identity_shown_is_refused(two_opd, cast):
    application = _issued(two_opd, cast)
    task = the_task(application, 8)
    response = post_task(cast.budi, task, {"collected_by": "Rudi", "relation": "proxy"})
    assert response.status_code == 400
    with pytest.raises(engine.InvalidOutcome):
        engine.complete(task, cast.budi, data={"collected_by": "Rudi", "relation": "proxy"})
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and not Handover.objects.exists()
    assert _print(cast.budi, application, "handover").status_code == 404
    engine.complete(task, cast.budi, data=HANDOVER)
    assert Handover.objects.get().collected_by == "Ani Pemohon"


def test_only_staff_who_see_the_file_can_print(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    # The applicant (staff pages do not exist for them) and an OPD not yet reached: 404.
    assert _print(cast.ani, application, "checklist").status_code == 404
    assert _print(cast.citra, application, "checklist").status_code == 404
    assert _print(cast.budi, application, "nonsense").status_code == 404
    assert _print(cast.budi, application, "checklist").status_code == 200
