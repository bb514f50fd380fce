"""A walk-in's company permit at the counter (issue 12.1, 12.5, 12.6): the front office types
the service's declared details (NIB, company, location) with the scanned papers, checked by the
one validator, and later scans the proof of payment the walk-in brings, which starts the
cashier's clock again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permits import counter
from permits.models import Application, Payment
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import pdf, the_task
from tests.permits.lifecycle.test_application_data import ANSWERS, COMPANY_FIELDS
from tests.permits.staff.helpers import client_for
from workflows import engine
from workflows.models import PauseReason

pytestmark = pytest.mark.django_db
NIK = "7471015505900003"


@pytest.fixture
def walk_in_draft(cast, two_opd) -> Application:
    two_opd.application_fields = COMPANY_FIELDS
    two_opd.save(update_fields=["application_fields"])
    person = counter.register_person(
        cast.budi,
        nik=NIK,
        full_name="Wa Ode Sitti",
        email="waode@contoh.id",
        phone="",
        consent=True,
    )
    return counter.start_application(cast.budi, person, two_opd)


def _details(answers: dict) -> dict:
    return {f"data_{code}": value for code, value in answers.items()}


def test_the_counter_form_asks_for_the_declared_details(cast, walk_in_draft):
    url = reverse("permits:counter_application", args=[walk_in_draft.pk])
    page = client_for(cast.budi).get(url).content.decode()
    assert 'name="data_nib"' in page and 'name="data_village"' in page


def test_a_bad_nib_at_the_counter_is_a_400_and_nothing_is_stored(cast, walk_in_draft):
    url = reverse("permits:counter_application", args=[walk_in_draft.pk])
    refused = client_for(cast.budi).post(
        url, _details(ANSWERS | {"nib": "12345"}) | {"submit": "1"}
    )
    assert refused.status_code == 400
    assert "A NIB has exactly 13 digits." in refused.content.decode()
    walk_in_draft.refresh_from_db()
    assert walk_in_draft.data == {} and walk_in_draft.status == Application.Status.DRAFT


def test_the_counter_submits_a_company_permit_with_its_details(cast, walk_in_draft):
    url = reverse("permits:counter_application", args=[walk_in_draft.pk])
    files = {"doc_ktp": pdf("ktp.pdf"), "doc_denah": pdf("denah.pdf")}
    done = client_for(cast.budi).post(url, _details(ANSWERS) | files | {"submit": "1"})
    assert done.status_code == 302
    walk_in_draft.refresh_from_db()
    assert walk_in_draft.status == Application.Status.IN_PROGRESS
    assert walk_in_draft.data["company_name"] == "PT Anoa Sejahtera"
    saved = AuditEntry.objects.get(action="permits.application.data_saved")
    assert saved.actor_key == cast.budi.pk and saved.after["entered_at_counter"] is True


def _at_payment(cast, application) -> None:
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 3, "DLH"), cast.gita, data={"verdict": "recommend"})
    engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "approve"})


@pytest.fixture
def submitted_walk_in(cast, walk_in_draft) -> Application:
    url = reverse("permits:counter_application", args=[walk_in_draft.pk])
    files = {"doc_ktp": pdf("ktp.pdf"), "doc_denah": pdf("denah.pdf")}
    client_for(cast.budi).post(url, _details(ANSWERS) | files | {"submit": "1"})
    walk_in_draft.refresh_from_db()
    return walk_in_draft


@pytest.fixture
def awaiting_payment(cast, submitted_walk_in) -> Application:
    _at_payment(cast, submitted_walk_in)
    return submitted_walk_in


def test_the_front_office_scans_the_walk_ins_proof_of_payment(cast, awaiting_payment):
    pay = the_task(awaiting_payment, 5)
    assert pay.pause_reason == PauseReason.APPLICANT_PAYMENT
    client = client_for(cast.budi)
    served = client.get(reverse("permits:counter_application", args=[awaiting_payment.pk]))
    assert pay.payment.billing_number in served.content.decode()
    assert "Rp 150.000" in served.content.decode()

    url = reverse("permits:counter_payment", args=[awaiting_payment.pk])
    fake = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>")
    refused = client.post(url, {"proof": fake})
    assert refused.status_code == 400
    assert not Payment.objects.get(task=pay).proof
    pay.refresh_from_db()
    assert pay.paused_at is not None

    assert client.post(url, {"proof": pdf("bukti.pdf")}).status_code == 302
    pay.refresh_from_db()
    assert pay.paused_at is None and Payment.objects.get(task=pay).proof
    uploaded = AuditEntry.objects.get(action="permits.payment.proof_uploaded")
    assert uploaded.actor_key == cast.budi.pk


def test_the_counter_cannot_upload_a_proof_when_no_bill_waits(cast, submitted_walk_in):
    url = reverse("permits:counter_payment", args=[submitted_walk_in.pk])
    refused = client_for(cast.budi).post(url, {"proof": pdf("bukti.pdf")})
    assert refused.status_code == 400
    assert "There is no bill waiting for payment." in refused.content.decode()


def test_only_the_front_office_uploads_at_the_counter(cast, awaiting_payment):
    url = reverse("permits:counter_payment", args=[awaiting_payment.pk])
    assert client_for(cast.citra).post(url, {"proof": pdf("bukti.pdf")}).status_code in (403, 404)
    assert not Payment.objects.get(application=awaiting_payment).proof
