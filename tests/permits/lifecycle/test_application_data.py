"""Per-service application data: the service declares its fields (in the SOP document), the
form, the staff page and the API take and show the answers, checked by one validator (NIB 13
digits, NIK 16 digits); the permit and the rejection letter print them."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permits import application_data, lifecycle
from permits.interchange import InvalidDocument, export_document, import_document
from permits.models import Application, IssuedDocument, Service
from tests.conftest import SIGNING_PASSPHRASE, enrol_signer
from tests.permits.lifecycle.kit import pdf, the_task, two_agency_document
from tests.permits.staff.helpers import client_for, task_url
from tests.signing.kit import stored_bytes, text_of
from workflows import engine

COMPANY_FIELDS = [
    {"code": "applicant_kind", "required": True},
    {"code": "nib", "required": True},
    {"code": "company_name", "required": True},
    {"code": "company_address", "required": True},
    {"code": "district", "required": True},
    {"code": "village", "required": True},
    {"code": "capacity", "label": "Kapasitas produksi", "type": "text", "required": False},
]
ANSWERS = {
    "applicant_kind": "company",
    "nib": "1234567890123",
    "company_name": "PT Anoa Sejahtera",
    "company_address": "Jl. Malaka No. 5, Kendari",
    "district": "Kambu",
    "village": "Lalolara",
    "capacity": "12.000 ton/tahun",
}


@pytest.fixture
def as_user():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def company_service(cast) -> Service:
    document = two_agency_document()
    document["service"]["application_fields"] = COMPANY_FIELDS
    version = import_document(document, publish=True)
    return Service.objects.get(sop=version.sop)


def _draft_with_files(service, applicant) -> Application:
    application = lifecycle.create_draft(service, applicant)
    for requirement in service.requirements.filter(mandatory=True):
        lifecycle.attach_document(application, applicant, requirement.code, pdf())
    return application


pdf_text = text_of


# --- the one validator ---


def test_it_checks_nib_nik_and_passport_formats():
    declared = [{"code": "nib"}, {"code": "nik"}, {"code": "worker_passport"}]
    cleaned, errors = application_data.clean(
        declared,
        {"nib": "123456789012", "nik": "7471 0123 4567 8901", "worker_passport": "c 1234567"},
        complete=False,
    )
    assert errors == {"nib": "A NIB has exactly 13 digits."}
    assert cleaned == {"nik": "7471012345678901", "worker_passport": "C1234567"}


def test_a_person_is_not_asked_for_the_company():
    cleaned, errors = application_data.clean(
        COMPANY_FIELDS, {"applicant_kind": "person", "district": "Kambu"}, complete=True
    )
    assert errors == {"village": "This field is required."}
    assert "nib" not in cleaned


def test_unknown_answers_are_refused_not_dropped():
    _cleaned, errors = application_data.clean(COMPANY_FIELDS, {"colour": "red"}, complete=False)
    assert errors == {"colour": "This service does not ask for colour."}


# --- the interchange format ---


def test_the_declaration_travels_in_the_sop_document(company_service):
    exported = export_document(company_service.published_sop)
    assert exported["service"]["application_fields"][0] == {
        "code": "applicant_kind",
        "required": True,
    }
    assert exported["service"]["application_fields"][-1]["label"] == "Kapasitas produksi"
    import_document(exported)
    assert export_document(company_service.published_sop) == exported


def test_a_bad_declaration_is_refused_with_its_path(cast):
    document = two_agency_document()
    document["service"]["application_fields"] = [
        {"code": "nib", "required": "yes"},
        {"code": "own_detail"},
        {"code": "nib"},
    ]
    with pytest.raises(InvalidDocument) as refused:
        import_document(document)
    paths = {p.path for p in refused.value.problems}
    assert {
        "service.application_fields[0].required",
        "service.application_fields[1].label",
        "service.application_fields[1].type",
        "service.application_fields[2].code",
    } <= paths
    assert not Service.objects.filter(code="UJI-DUA-OPD").exists()


# --- the form, the submit guard, the staff page, the API ------------------------------------------


def test_the_form_takes_the_details_and_submit_needs_the_required_ones(company_service, cast):
    application = _draft_with_files(company_service, cast.ani)
    client = client_for(cast.ani)
    url = reverse("permits:application_form", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="data_nib"' in page.content.decode()

    bad = client.post(url, {"data_applicant_kind": "company", "data_nib": "12345"})
    assert "A NIB has exactly 13 digits." in bad.content.decode()
    application.refresh_from_db()
    assert application.data == {}

    client.post(url, {"data_applicant_kind": "company", "data_nib": "1234567890123"})
    application.refresh_from_db()
    assert application.data == {"applicant_kind": "company", "nib": "1234567890123"}
    with pytest.raises(lifecycle.IncompleteData) as refused:
        lifecycle.submit(application, cast.ani)
    missing = {"company_name", "company_address", "district", "village"}
    assert set(refused.value.errors) == missing

    client.post(url, {f"data_{k}": v for k, v in ANSWERS.items()} | {"submit": "1"})
    application.refresh_from_db()
    assert application.status != Application.Status.DRAFT and application.tracking_number

    staff_page = client_for(cast.budi).get(task_url(the_task(application, 2))).content.decode()
    assert "PT Anoa Sejahtera" in staff_page and "1234567890123" in staff_page
    assert "Lalolara" in staff_page


def test_the_api_takes_and_shows_the_details(company_service, cast, as_user):
    application = _draft_with_files(company_service, cast.ani)
    url = f"/api/v1/applications/{application.pk}/data/"
    bad = as_user(cast.ani).put(url, {"data": {"nib": "12", "nik": "1"}}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"nib", "nik"}
    good = as_user(cast.ani).put(url, {"data": ANSWERS}, format="json")
    assert good.status_code == 200 and good.json()["data"]["company_name"] == "PT Anoa Sejahtera"
    not_yours = as_user(cast.bayu).put(url, {"data": ANSWERS}, format="json")
    assert not_yours.status_code == 404


# --- the documents ---


def _decided(service, cast, verdict="approve"):
    application = _draft_with_files(service, cast.ani)
    lifecycle.save_data(application, cast.ani, ANSWERS)
    lifecycle.submit(application, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(
        the_task(application, 3, "DISHUB"),
        cast.citra,
        data={"verdict": "recommend_with_conditions", "conditions": "Memasang rambu di lokasi"},
    )
    engine.complete(the_task(application, 3, "DLH"), cast.gita, data={"verdict": "recommend"})
    reasons = "Lokasi berada di kawasan lindung"
    engine.complete(
        the_task(application, 4), cast.fajar, data={"verdict": verdict, "reasons": reasons}
    )
    return application


def test_the_permit_names_the_company_location_validity_conditions_and_signatory(
    company_service, cast, signing_keystore
):
    company_service.validity_value, company_service.validity_unit = 5, "years"
    company_service.save()
    cast.dewi.nip = "197001012000031001"
    cast.dewi.save()
    enrol_signer(cast.dewi, signing_keystore)
    application = _decided(company_service, cast)
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    pay = the_task(application, 5)
    engine.complete(pay, cast.yusuf, data={"payment_code": pay.payment.billing_number})

    # The head sees the exact PDF before signing.
    sign_task = the_task(application, 6)
    preview = client_for(cast.dewi).get(reverse("permits:issue_preview", args=[sign_task.pk]))
    assert preview["Content-Type"] == "application/pdf"
    assert "PT Anoa Sejahtera" in pdf_text(preview.content)

    engine.complete(sign_task, cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    issued = IssuedDocument.objects.get(application=application)
    assert issued.holder_name == "PT Anoa Sejahtera"
    text = pdf_text(stored_bytes(issued))
    for expected in (
        "PT Anoa Sejahtera",
        "1234567890123",
        "Lalolara",
        "Kambu",
        "Kapasitas produksi",
        "Memasang rambu di lokasi",
        "Masa berlaku",
        "NIP 197001012000031001",
        "Dewi Kepala",
        "Ani Pemohon",  # the person responsible
    ):
        assert expected in text, expected
    # A later change to the service does not rewrite what the permit says.
    company_service.application_fields = []
    company_service.save()
    from permits.issued_documents import issued_document_pdf

    assert "Lalolara" in pdf_text(issued_document_pdf(issued))


def test_the_rejection_letter_names_the_objection_route(company_service, cast):
    application = _decided(company_service, cast, verdict="reject")
    engine.complete(the_task(application, 7), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    issued = IssuedDocument.objects.get(application=application)
    text = " ".join(pdf_text(stored_bytes(issued)).split())
    assert "Lokasi berada di kawasan lindung" in text
    assert "PT Anoa Sejahtera" in text
    assert "keberatan secara tertulis" in text and "21 (dua puluh satu) hari kerja" in text
    assert "10 (sepuluh) hari kerja" in text and "banding" in text
    assert "Nomor 30 Tahun 2014" in text and "Pasal 75" in text


def test_the_admin_checks_the_declaration_like_the_importer(company_service):
    from permits.admin import ServiceForm

    def form(declared):
        return ServiceForm(
            instance=company_service, data={"application_fields": json.dumps(declared)}
        )

    bad = form([{"code": "nib", "required": "yes"}])
    bad.is_valid()
    assert (
        "application_fields[0].required: Must be true or false." in bad.errors["application_fields"]
    )
    good = form([{"code": "nib"}])
    good.is_valid()
    assert "application_fields" not in good.errors
    assert good.cleaned_data["application_fields"] == [{"code": "nib", "required": False}]
