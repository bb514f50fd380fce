"""GET /api/v1/services/{code}/sop/ and /sop-versions/: the SOP in force and its history."""

import pytest

from tests.factories import ServiceFactory, build_sop_version

from .conftest import count_queries

pytestmark = pytest.mark.django_db


def test_it_shows_the_published_sop(api, akdp):
    response = api.get("/api/v1/services/DISHUB-AKDP/sop/")

    assert response.status_code == 200
    sop = response.json()
    assert sop["service"] == "DISHUB-AKDP"
    assert sop["version"] == 1
    assert sop["status"] == "published"
    assert sop["number"] == "SOP/DISHUB-AKDP/1"
    assert set(sop["approved_by"]) == {"position", "name", "nip"}
    assert sop["performers"] == [
        {"key": "applicant", "title": "Pemohon", "role": "applicant", "agency": None},
        {"key": "fo", "title": "Petugas Front Office", "role": "front_office", "agency": "DPMPTSP"},
        {
            "key": "opd",
            "title": "Tim Teknis OPD",
            "role": "technical_officer",
            "agency": "*technical*",
        },
        {"key": "head", "title": "Kepala DPMPTSP", "role": "head", "agency": "DPMPTSP"},
    ]
    assert [s["no"] for s in sop["steps"]] == [1, 2, 3, 4]
    check = sop["steps"][1]
    assert check["symbol"] == "decision"
    assert check["activity"] == "Memeriksa kelengkapan berkas"
    assert check["performer"] == "fo"
    assert check["duration"] == {"value": 30, "unit": "minutes"}
    assert check["output"] == ["Hasil"]
    assert (check["next"], check["on_yes"], check["on_no"]) == (None, 3, 1)
    assert check["action"] == "check"
    assert sop["steps"][0]["next"] == 2
    assert sop["total_duration"] == [
        {"value": 4, "unit": "days"},
        {"value": 30, "unit": "minutes"},  # the applicant's 15 minutes apart
    ]


def test_it_keeps_showing_the_published_sop_while_a_draft_is_written(api, akdp):
    build_sop_version(akdp, publish=False)

    assert api.get("/api/v1/services/DISHUB-AKDP/sop/").json()["version"] == 1


def test_it_answers_404_for_the_sop_of_an_unknown_or_non_public_service(api, akdp):
    build_sop_version(ServiceFactory(code="DRAFT-ONLY"), publish=False)

    assert api.get("/api/v1/services/NOPE/sop/").status_code == 404
    assert api.get("/api/v1/services/DRAFT-ONLY/sop/").status_code == 404


@pytest.fixture
def history(akdp):
    """Version 1 superseded, 2 published, 3 a draft."""
    build_sop_version(akdp)
    build_sop_version(akdp, publish=False)
    return akdp


def _versions(client, code="DISHUB-AKDP") -> list[tuple[int, str]]:
    response = client.get(f"/api/v1/services/{code}/sop-versions/")
    assert response.status_code == 200, response.content
    return [(v["version"], v["status"]) for v in response.json()["results"]]


def test_it_lists_published_and_superseded_versions_to_the_public(api, history):
    assert _versions(api) == [(2, "published"), (1, "superseded")]

    newest = api.get("/api/v1/services/DISHUB-AKDP/sop-versions/").json()["results"][0]
    assert newest["number"] == "SOP/DISHUB-AKDP/2"
    assert newest["published_at"] is not None
    assert newest["document_url"].endswith("/api/v1/services/DISHUB-AKDP/sop-document/?version=2")


def test_it_hides_drafts_from_staff_who_are_not_administrators(api, history, budi):
    api.force_authenticate(budi)

    assert _versions(api) == [(2, "published"), (1, "superseded")]


def test_it_shows_drafts_to_administrators(api, history, eko, fajar):
    for admin in (eko, fajar):
        api.force_authenticate(admin)
        assert _versions(api) == [(3, "draft"), (2, "published"), (1, "superseded")]


def test_it_lists_the_drafts_of_a_non_public_service_only_to_administrators(api, fajar):
    build_sop_version(ServiceFactory(code="DRAFT-ONLY"), publish=False)

    assert api.get("/api/v1/services/DRAFT-ONLY/sop-versions/").status_code == 404
    api.force_authenticate(fajar)
    assert _versions(api, "DRAFT-ONLY") == [(1, "draft")]
    assert api.get("/api/v1/services/NOPE/sop-versions/").status_code == 404


def test_it_lists_versions_in_constant_queries(api, akdp):
    few = count_queries(api, "/api/v1/services/DISHUB-AKDP/sop-versions/")
    assert few <= 3  # the service, the count, the page
    for _ in range(9):
        build_sop_version(akdp)

    assert len(api.get("/api/v1/services/DISHUB-AKDP/sop-versions/").json()["results"]) == 10
    assert count_queries(api, "/api/v1/services/DISHUB-AKDP/sop-versions/") == few
