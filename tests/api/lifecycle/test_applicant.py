"""The applicant's side of the lifecycle API: drafts, uploads, submit, list, detail, correct,
withdraw, payment proof and issued documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from permits import lifecycle
from permits.models import Application, ApplicationDocument
from tests.api.conftest import count_queries
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import engine
from workflows.models import StepEvent

from .kit import PNG, pdf, submit_by_api, upload_all

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_uploads_and_submits(as_user, cast, two_opd):
    client = as_user(cast.ani)
    application, body = submit_by_api(client, two_opd)
    assert body["tracking_number"] == application.tracking_number
    assert len(body["access_code"]) >= 6
    assert application.status == Application.Status.IN_PROGRESS
    detail = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert {d["requirement_code"] for d in detail["documents"]} == {"ktp", "denah"}
    assert [h["activity"] for h in detail["held_by"]] == ["Memeriksa kelengkapan"]
    assert [e["kind"] for e in detail["timeline"]][:2] == ["started", "ended"]
    assert "access_code" not in detail


def test_it_refuses_a_draft_for_an_unknown_service(as_user, cast):
    response = as_user(cast.ani).post("/api/v1/applications/", {"service": "NOPE"}, format="json")
    assert response.status_code == 400
    assert "service" in response.json()
    assert not Application.objects.exists()


def test_it_asks_for_sign_in_to_apply(as_user, two_opd):
    response = as_user().post("/api/v1/applications/", {"service": two_opd.code}, format="json")
    assert response.status_code in (401, 403)
    assert not Application.objects.exists()


def test_it_names_the_missing_documents_on_submit(as_user, cast, two_opd):
    client = as_user(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": two_opd.code}, format="json").json()["id"]
    response = client.post(f"/api/v1/applications/{pk}/submit/")
    assert response.status_code == 400
    assert set(response.json()["codes"]) == {"ktp", "denah"}
    assert Application.objects.get(pk=pk).status == Application.Status.DRAFT


ATTACKS = {
    "png behind a pdf name": ("ktp.pdf", PNG),
    "empty": ("ktp.pdf", b""),
    "html with script": ("ktp.pdf", b"<html><script>alert(1)</script></html>"),
    "svg with script": (
        "ktp.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_it_refuses_an_upload_attack_and_stores_nothing(as_user, cast, two_opd, attack):
    name, content = ATTACKS[attack]
    client = as_user(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": two_opd.code}, format="json").json()["id"]
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        f"/api/v1/applications/{pk}/documents/",
        {"requirement": "ktp", "file": upload},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert not ApplicationDocument.objects.exists()


def test_it_stores_a_path_traversal_name_as_a_bare_name_inside_private_storage(
    as_user, cast, two_opd
):
    client = as_user(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": two_opd.code}, format="json").json()["id"]
    response = client.post(
        f"/api/v1/applications/{pk}/documents/",
        {"requirement": "ktp", "file": pdf("../../../etc/passwd.pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["original_name"] == "passwd.pdf"
    stored = ApplicationDocument.objects.get()
    assert ".." not in stored.file.name and "passwd" not in stored.file.name


def test_it_refuses_an_oversize_upload_and_stores_nothing(as_user, cast, two_opd, settings):
    settings.UPLOAD_MAX_BYTES = 50
    client = as_user(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": two_opd.code}, format="json").json()["id"]
    response = client.post(
        f"/api/v1/applications/{pk}/documents/",
        {"requirement": "ktp", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 400
    assert "dokumen.pdf" in response.json()["detail"]
    assert not ApplicationDocument.objects.exists()


def test_it_hides_another_applicants_application(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    bayu = as_user(cast.bayu)
    base = f"/api/v1/applications/{application.pk}"
    assert bayu.get(f"{base}/").status_code == 404
    assert bayu.get(f"{base}/issued-documents/").status_code == 404
    assert bayu.post(f"{base}/withdraw/", {"reason": "x"}, format="json").status_code == 404
    response = bayu.post(
        f"{base}/documents/", {"requirement": "ktp", "file": pdf()}, format="multipart"
    )
    assert response.status_code == 404
    assert bayu.get("/api/v1/applications/").json()["results"] == []
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_PROGRESS


def test_it_lets_staff_read_but_not_act_as_the_applicant(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    budi = as_user(cast.budi)
    assert budi.get(f"/api/v1/applications/{application.pk}/").status_code == 200
    response = budi.post(
        f"/api/v1/applications/{application.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_it_corrects_exactly_the_documents_asked_for(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    engine.complete(
        the_task(application, 2),
        cast.budi,
        data={"results": {"ktp": {"accepted": False, "reason": "Buram"}}},
    )
    client = as_user(cast.ani)
    url = f"/api/v1/applications/{application.pk}/correct/"
    wrong = client.post(url, {"denah": pdf(), "note": "x"}, format="multipart")
    assert wrong.status_code == 409
    assert "KTP" in wrong.json()["detail"]
    assert application.documents.filter(requirement_code="denah").count() == 1
    response = client.post(url, {"ktp": pdf("ktp-baru.pdf"), "note": "Sudah"}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Application.Status.IN_PROGRESS
    ktp = [d for d in response.json()["documents"] if d["requirement_code"] == "ktp"]
    assert sorted(d["version"] for d in ktp) == [1, 2]


def test_it_withdraws_with_a_reason(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    client = as_user(cast.ani)
    url = f"/api/v1/applications/{application.pk}/withdraw/"
    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_PROGRESS
    response = client.post(url, {"reason": "Batal"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == Application.Status.WITHDRAWN
    again = client.post(url, {"reason": "Batal"}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"]


def test_it_refuses_a_payment_proof_without_a_bill(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    response = as_user(cast.ani).post(
        f"/api/v1/applications/{application.pk}/payment-proof/",
        {"file": pdf("bukti.pdf")},
        format="multipart",
    )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert not application.payments.exists()


def test_it_keeps_the_query_count_of_my_applications_constant(as_user, cast, two_opd):
    client = as_user(cast.ani)
    submitted(two_opd, cast.ani)
    few = count_queries(client, "/api/v1/applications/")
    for _ in range(5):
        submitted(two_opd, cast.ani)
        lifecycle.create_draft(two_opd, cast.ani)
    assert count_queries(client, "/api/v1/applications/") == few


def test_it_keeps_the_query_count_of_an_application_constant(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    client = as_user(cast.ani)
    url = f"/api/v1/applications/{application.pk}/"
    # A first request fills the per-catalogue-version caches (the SOP's steps, the service
    # list): once per version, not per step or task, so it is left out of the comparison.
    count_queries(client, url)
    few = count_queries(client, url)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    assert StepEvent.objects.filter(application=application).count() > 4
    assert count_queries(client, url) == few


def test_it_uploads_and_replaces_a_draft_document(as_user, cast, two_opd):
    client = as_user(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": two_opd.code}, format="json").json()["id"]
    upload_all(client, pk, two_opd)
    upload_all(client, pk, two_opd)
    current = ApplicationDocument.objects.filter(application_id=pk, is_current=True)
    assert sorted(current.values_list("version", flat=True)) == [2, 2]
    missing = client.post(
        f"/api/v1/applications/{pk}/documents/", {"requirement": "ktp"}, format="multipart"
    )
    assert missing.status_code == 400
    assert "file" in missing.json()
