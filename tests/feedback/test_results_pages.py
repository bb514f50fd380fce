"""The SKM results page and its PDF report."""

import pytest
from django.db import connection
from django.test import Client

from tests.queries import AppQueries

from .kit import response

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_those_who_monitor_see_the_results(two_opd, cast, rina):
    response(two_opd, 4)
    assert client_for(cast.citra).get("/pantau/skm/").status_code == 404
    assert client_for(cast.budi).get("/pantau/skm/").status_code == 404
    page = client_for(rina).get("/pantau/skm/")
    body = page.content.decode()
    assert page.status_code == 200
    assert two_opd.name in body and "99.90" in body and "Sangat Baik" in body
    assert "100.00" in body  # the exact weight differs: shown too


def test_the_report_is_a_pdf(two_opd, cast):
    response(two_opd, 3)
    report = client_for(cast.dewi).get("/pantau/skm/laporan.pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def test_the_results_page_answers_in_constant_queries(two_opd, akdp, cast):
    client = client_for(cast.dewi)
    response(two_opd, 4)
    with AppQueries(connection) as few:
        client.get("/pantau/skm/")
    for value in (1, 2, 3, 4) * 5:
        response(two_opd, value)
        response(akdp, value)
    with AppQueries(connection) as many:
        page = client.get("/pantau/skm/")
    assert len(page.context["services"]) == 2
    assert len(many.captured_queries) <= len(few.captured_queries)
