"""Export (GET /services/{code}/sop-document/) and import (POST /sop-documents/) of
``sop-portal/1`` documents."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.http import urlencode

from permits.models import Service
from sop_portal.models import AuditEntry
from tests.factories import ServiceFactory, build_sop_version
from workflows.models import SopVersion

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/sop-documents/"


def _export(client, code="DISHUB-AKDP", **params):
    return client.get(f"/api/v1/services/{code}/sop-document/", params)


def _import(client, document, **params):
    url = f"{IMPORT}?{urlencode(params)}" if params else IMPORT
    return client.post(url, json.dumps(document), content_type="application/json")


def _written() -> tuple[int, int, int]:
    return Service.objects.count(), SopVersion.objects.count(), AuditEntry.objects.count()


# --- export ----------------------------------------------------------------------------------


def test_it_exports_the_published_version_to_the_public(api, akdp):
    build_sop_version(akdp, publish=False)

    response = _export(api)

    assert response.status_code == 200
    doc = response.json()
    assert doc["format"] == "sop-portal/1"
    assert doc["service"]["code"] == "DISHUB-AKDP"
    assert doc["service"]["technical_agencies"] == ["DISHUB"]
    assert doc["sop"]["number"] == "SOP/DISHUB-AKDP/1"
    assert [s["no"] for s in doc["sop"]["steps"]] == [1, 2, 3, 4]


def test_it_exports_a_superseded_version_on_request(api, akdp):
    build_sop_version(akdp)

    assert _export(api).json()["sop"]["number"] == "SOP/DISHUB-AKDP/2"
    assert _export(api, version=1).json()["sop"]["number"] == "SOP/DISHUB-AKDP/1"


def test_it_exports_drafts_only_to_administrators(api, admin_api, akdp):
    build_sop_version(akdp, publish=False)

    assert _export(api, version=2).status_code == 404
    assert _export(admin_api, version=2).status_code == 200
    assert _export(admin_api).json()["sop"]["number"] == "SOP/DISHUB-AKDP/2"


def test_it_answers_404_or_400_for_a_document_that_cannot_be_exported(api, akdp):
    build_sop_version(ServiceFactory(code="DRAFT-ONLY"), publish=False)

    assert _export(api, "NOPE").status_code == 404
    assert _export(api, "DRAFT-ONLY").status_code == 404
    assert _export(api, version=7).status_code == 404
    assert _export(api, version="terbaru").status_code == 400


# --- import ----------------------------------------------------------------------------------


def test_it_imports_a_document_as_a_draft(admin_api, document, eko):
    response = _import(admin_api, document)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["service"] == "DISHUB-TRAYEK"
    assert body["version"] == 1
    assert body["status"] == "draft"
    assert body["url"] == (
        "http://testserver/api/v1/services/DISHUB-TRAYEK/sop-document/?version=1"
    )
    assert response["Location"] == body["url"]
    version = SopVersion.objects.get(sop__code="DISHUB-TRAYEK")
    assert version.status == "draft"
    assert version.created_by == eko
    assert [s.activity for s in version.steps.all()][0] == "Mengajukan permohonan"


def test_a_draft_import_stays_out_of_the_public_catalogue(api, admin_api, document):
    _import(admin_api, document)

    versions = "/api/v1/services/DISHUB-TRAYEK/sop-versions/"
    assert api.get("/api/v1/services/DISHUB-TRAYEK/").status_code == 404
    assert api.get(versions).status_code == 404
    assert [v["status"] for v in admin_api.get(versions).json()["results"]] == ["draft"]


def test_it_imports_and_publishes_when_asked(api, admin_api, akdp):
    document = _export(api).json()
    document["sop"]["number"] = "SOP/DPMPTSP/PB/09/2026"

    response = _import(admin_api, document, publish="true")

    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    assert response.json()["status"] == "published"
    sop = api.get("/api/v1/services/DISHUB-AKDP/sop/").json()
    assert (sop["version"], sop["number"]) == (2, "SOP/DPMPTSP/PB/09/2026")
    versions = api.get("/api/v1/services/DISHUB-AKDP/sop-versions/").json()["results"]
    assert [(v["version"], v["status"]) for v in versions] == [(2, "published"), (1, "superseded")]


def test_it_imports_an_uploaded_file(api, document, fajar):
    api.force_authenticate(fajar)
    upload = SimpleUploadedFile(
        "trayek.json", json.dumps(document).encode(), content_type="application/json"
    )

    response = api.post(IMPORT + "?publish=false", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert SopVersion.objects.filter(sop__code="DISHUB-TRAYEK").count() == 1


def test_it_refuses_an_import_from_anyone_but_an_administrator(api, document, ani, budi, dewi):
    before = _written()

    assert _import(api, document).status_code in (401, 403)
    for user in (ani, budi, dewi):
        api.force_authenticate(user)
        assert _import(api, document).status_code == 403
    assert _written() == before


def test_it_refuses_a_bad_document_listing_every_problem(admin_api, document, akdp):
    document["service"]["kind"] = "licence"
    document["service"]["colour"] = "blue"
    document["sop"]["steps"][1]["on_no"] = 9
    document["sop"]["steps"][2]["duration"] = {"value": 0, "unit": "fortnights"}
    before = _written()

    response = _import(admin_api, document, publish="true")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    problems = body["problems"]
    assert len(problems) >= 4
    assert all(set(p) == {"path", "step", "message"} for p in problems)
    assert all(p["message"] for p in problems)
    paths = " ".join(p["path"] for p in problems)
    assert "service.kind" in paths
    assert "colour" in paths
    assert {p["step"] for p in problems} >= {2, 3}
    assert _written() == before


def test_it_refuses_text_that_is_not_json(admin_api, akdp):
    before = _written()

    response = admin_api.post(
        IMPORT,
        '{"format": "sop-portal/1",',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert "line 1, column 27" in problem["message"]
    assert _written() == before


def test_it_refuses_an_upload_without_a_file(admin_api):
    response = admin_api.post(IMPORT, {"document": "x"}, format="multipart")

    assert response.status_code == 400
    assert [p["path"] for p in response.json()["problems"]] == ["file"]


def test_it_refuses_a_document_too_large(admin_api, document, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = _written()
    upload = SimpleUploadedFile("trayek.json", json.dumps(document).encode())

    as_body = _import(admin_api, document)
    as_file = admin_api.post(IMPORT, {"file": upload}, format="multipart")

    for response in (as_body, as_file):
        assert response.status_code == 400
        [problem] = response.json()["problems"]
        assert "1000" in problem["message"]
    assert _written() == before


def test_it_refuses_an_unclear_publish_flag(admin_api, document):
    response = _import(admin_api, document, publish="maybe")

    assert response.status_code == 400
    assert "publish" in response.json()
    assert not SopVersion.objects.exists()


def test_it_answers_in_the_language_of_the_request(admin_api, document):
    document["format"] = "sop-portal/9"

    english = admin_api.post(
        IMPORT, json.dumps(document), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    indonesian = admin_api.post(
        IMPORT, json.dumps(document), content_type="application/json", HTTP_ACCEPT_LANGUAGE="id"
    )

    assert english.status_code == indonesian.status_code == 400
    assert english["Content-Language"] == "en"
    assert indonesian["Content-Language"] == "id"
    assert english.json()["detail"] == (
        "The document was refused: 1 problem. Nothing was imported."
    )
    [in_english] = english.json()["problems"]
    [in_indonesian] = indonesian.json()["problems"]
    assert in_english["path"] == in_indonesian["path"] == "format"
    assert in_english["message"].startswith("Unknown format")
    assert in_indonesian["message"] != in_english["message"]
    assert indonesian.json()["detail"] != english.json()["detail"]


def test_an_exported_document_imports_back_to_the_same_sop(api, admin_api, akdp):
    exported = _export(api).json()
    shown = api.get("/api/v1/services/DISHUB-AKDP/sop/").json()

    response = _import(admin_api, exported, publish="true")

    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    assert _export(api, version=2).json() == exported
    shown_again = api.get("/api/v1/services/DISHUB-AKDP/sop/").json()
    assert shown_again["version"] == 2
    for key in ("version", "published_at", "document_url"):
        del shown[key], shown_again[key]
    assert shown_again == shown
