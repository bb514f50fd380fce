"""GET /api/v1/agencies/ and /api/v1/agencies/{code}/."""

import pytest

from agencies.models import Agency
from tests.factories import AgencyFactory

from .conftest import count_queries

pytestmark = pytest.mark.django_db


def test_it_lists_active_agencies_with_the_one_stop_office_first(api, dishub, dpmptsp):
    AgencyFactory(code="ESDM", name="Dinas ESDM")
    AgencyFactory(code="LAMA", name="Dinas Lama", is_active=False)

    response = api.get("/api/v1/agencies/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    codes = [a["code"] for a in body["results"]]
    assert codes == ["DPMPTSP", "ESDM", "DISHUB"]
    office = body["results"][0]
    assert office["kind"] == "one_stop_office"
    assert office["city"] == "Kendari"
    assert office["url"] == "http://testserver/api/v1/agencies/DPMPTSP/"


def test_it_filters_agencies_by_kind_and_search(api, dishub, dpmptsp):
    AgencyFactory(code="ESDM", name="Dinas Energi dan Sumber Daya Mineral")

    technical = api.get("/api/v1/agencies/", {"kind": "technical"}).json()
    by_code = api.get("/api/v1/agencies/", {"search": "hub"}).json()
    by_name = api.get("/api/v1/agencies/", {"search": "energi"}).json()

    assert {a["code"] for a in technical["results"]} == {"DISHUB", "ESDM"}
    assert [a["code"] for a in by_code["results"]] == ["DISHUB"]
    assert [a["code"] for a in by_name["results"]] == ["ESDM"]


def test_it_refuses_an_unknown_kind(api, dishub):
    response = api.get("/api/v1/agencies/", {"kind": "ministry"})

    assert response.status_code == 400
    assert "kind" in response.json()


def test_it_shows_one_agency(api, dishub):
    response = api.get("/api/v1/agencies/DISHUB/")

    assert response.status_code == 200
    assert response.json()["name"] == "Dinas Perhubungan"
    assert response.json()["kind"] == "technical"


def test_it_answers_404_for_an_unknown_or_inactive_agency(api, dishub):
    AgencyFactory(code="LAMA", is_active=False)

    assert api.get("/api/v1/agencies/NOPE/").status_code == 404
    assert api.get("/api/v1/agencies/LAMA/").status_code == 404


def test_it_lists_agencies_in_constant_queries(api, dpmptsp):
    AgencyFactory.create_batch(2)
    few = count_queries(api, "/api/v1/agencies/")
    assert few <= 2  # the count and the page
    AgencyFactory.create_batch(27)
    assert Agency.objects.count() == 30

    assert count_queries(api, "/api/v1/agencies/") == few
