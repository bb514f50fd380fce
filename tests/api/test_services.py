"""GET /api/v1/services/ and /api/v1/services/{code}/: the public catalogue."""

import pytest

from permits.models import Service
from tests.factories import AgencyFactory, ServiceFactory, build_sop_version

from .conftest import count_queries

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["code"] for s in response.json()["results"]]


def test_it_lists_only_public_services(api, akdp):
    ServiceFactory(code="NO-SOP")
    build_sop_version(ServiceFactory(code="DRAFT-ONLY"), publish=False)
    build_sop_version(ServiceFactory(code="CLOSED", is_active=False))

    response = api.get("/api/v1/services/")

    assert _codes(response) == ["DISHUB-AKDP"]
    item = response.json()["results"][0]
    assert item["name"] == "Izin Penyelenggaraan Angkutan AKDP"
    assert item["kind"] == "permit"
    assert item["sector"] == "Perhubungan"
    assert item["service_time"] == {"value": 10, "unit": "days"}
    assert item["fee"] == {"amount": 0, "currency": "IDR"}
    assert item["technical_agencies"] == ["DISHUB"]
    assert item["url"] == "http://testserver/api/v1/services/DISHUB-AKDP/"


@pytest.fixture
def catalogue(akdp):
    esdm = AgencyFactory(code="ESDM", name="Dinas ESDM")
    sipa = ServiceFactory(code="ESDM-SIPA", name="Izin Pengusahaan Air Tanah", sector="ESDM")
    sipa.technical_agencies.add(esdm)
    build_sop_version(sipa)
    build_sop_version(
        ServiceFactory(
            code="DPMPTSP-REK", name="Rekomendasi Penanaman Modal", kind="non_permit", sector="ESDM"
        )
    )


def test_it_filters_services(api, catalogue):
    assert _codes(api.get("/api/v1/services/", {"kind": "non_permit"})) == ["DPMPTSP-REK"]
    assert _codes(api.get("/api/v1/services/", {"sector": "Perhubungan"})) == ["DISHUB-AKDP"]
    assert _codes(api.get("/api/v1/services/", {"agency": "ESDM"})) == ["ESDM-SIPA"]
    assert _codes(api.get("/api/v1/services/", {"search": "air tanah"})) == ["ESDM-SIPA"]
    assert _codes(api.get("/api/v1/services/", {"search": "akdp"})) == ["DISHUB-AKDP"]
    assert _codes(api.get("/api/v1/services/", {"sector": "ESDM", "kind": "permit"})) == [
        "ESDM-SIPA"
    ]
    assert _codes(api.get("/api/v1/services/", {"agency": "NOPE"})) == []


def test_it_refuses_an_unknown_service_kind(api, akdp):
    response = api.get("/api/v1/services/", {"kind": "licence"})

    assert response.status_code == 400
    assert "kind" in response.json()


def test_it_shows_a_service_with_its_standard_and_sop_link(api, akdp):
    response = api.get("/api/v1/services/DISHUB-AKDP/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "DISHUB-AKDP"
    assert [r["code"] for r in body["requirements"]] == ["ktp", "stnk"]
    assert body["requirements"][1] == {
        "code": "stnk",
        "name": "STNK kendaraan",
        "mandatory": True,
        "formats": ["pdf", "jpg"],
    }
    assert body["service_time"] == {"value": 10, "unit": "days"}
    assert body["fee"] == {
        "amount": 0,
        "currency": "IDR",
        "basis": "Tidak dipungut biaya",
        "is_free": True,
    }
    assert body["product"] == "Keputusan izin"
    assert body["legal_basis"] == ["UU 25/2009 tentang Pelayanan Publik"]
    assert body["technical_agencies"] == [
        {
            "code": "DISHUB",
            "name": "Dinas Perhubungan",
            "url": "http://testserver/api/v1/agencies/DISHUB/",
        }
    ]
    standard = body["standard"]
    assert [c["no"] for c in standard] == list(range(1, 15))
    by_key = {c["key"]: c for c in standard}
    assert by_key["complaints"]["text"] == "Loket pengaduan DPMPTSP"
    assert by_key["requirements"]["text"] == "KTP penanggung jawab\nSTNK kendaraan"
    assert by_key["product"]["text"] == "Keputusan izin"
    assert by_key["complaints"]["public"] is True
    assert by_key["evaluation"]["public"] is False
    assert all(c["label"] for c in standard)
    assert body["sop"]["version"] == 1
    assert body["sop"]["url"] == "http://testserver/api/v1/services/DISHUB-AKDP/sop/"
    assert api.get(body["sop"]["url"]).status_code == 200


def test_it_shows_the_fee_of_a_paid_service(api, akdp):
    Service.objects.filter(pk=akdp.pk).update(fee_amount=150000, fee_basis="Perda 3/2024")

    body = api.get("/api/v1/services/DISHUB-AKDP/").json()

    assert body["fee"]["amount"] == 150000
    assert body["fee"]["is_free"] is False
    fee_text = next(c["text"] for c in body["standard"] if c["key"] == "fee")
    assert "150" in fee_text
    assert "Perda 3/2024" in fee_text


def test_it_answers_404_for_an_unknown_or_non_public_service(api, akdp):
    build_sop_version(ServiceFactory(code="DRAFT-ONLY"), publish=False)
    build_sop_version(ServiceFactory(code="CLOSED", is_active=False))

    assert api.get("/api/v1/services/NOPE/").status_code == 404
    assert api.get("/api/v1/services/DRAFT-ONLY/").status_code == 404
    assert api.get("/api/v1/services/CLOSED/").status_code == 404


def test_it_lists_services_in_constant_queries(api, dishub):
    def add(n: int) -> None:
        for _ in range(n):
            service = ServiceFactory()
            service.technical_agencies.add(dishub)
            build_sop_version(service)

    add(3)
    few = count_queries(api, "/api/v1/services/")
    assert few <= 3  # the count, the page, the technical agencies
    add(27)
    assert Service.objects.public().count() == 30

    assert count_queries(api, "/api/v1/services/") == few
