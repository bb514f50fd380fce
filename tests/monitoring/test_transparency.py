"""The public transparency page and API: per service, the published SOP, the service
standard, the last 90 days' median completion time and on-time rate; nothing personal."""

from datetime import date

import pytest

from monitoring import transparency

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_31_october(monkeypatch):
    monkeypatch.setattr(transparency, "today", lambda: date(2026, 10, 31))


def test_it_shows_each_services_figures_to_anyone(client, world, on_31_october):
    response = client.get("/transparansi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Izin Uji Pantau" in html
    assert "10 working days" in html  # the service standard
    assert 'data-col="median">12.5<' in html  # median of 4 and 21 working days
    assert 'data-col="on_time">50.0<' in html
    assert 'data-col="finished">2<' in html
    # no applicant, officer or file
    assert "PANTAU-A1" not in html and "pemohon.pantau" not in html


def test_the_service_page_compares_with_the_standard(client, world, on_31_october):
    response = client.get(f"/transparansi/{world.service.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="median">12.5<' in html
    assert "above the standard" in html  # 12.5 > 10 working days
    assert client.get("/transparansi/TIDAK-ADA/").status_code == 404


def test_the_api_gives_the_same_figures(client, world, on_31_october):
    [row] = client.get("/api/v1/transparency/").json()
    assert row["code"] == world.service.code
    assert (row["finished"], row["median_days"], row["on_time_rate"]) == (2, 12.5, 50.0)
    assert row["standard_days"] == 10


def test_the_page_answers_in_constant_queries(
    client, world, on_31_october, django_assert_max_num_queries
):
    from tests.factories import ServiceFactory, build_sop_version

    with django_assert_max_num_queries(12) as small:
        client.get("/transparansi/")
    for i in range(5):
        build_sop_version(ServiceFactory(code=f"UJI-EXTRA-{i}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/transparansi/")
