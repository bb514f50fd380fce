"""The catalogue and a service's page are rendered once per catalogue data version
(permits/public_cache.py): a repeat visit reads the cache only, and any change of what they show
is visible at the next visit."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from permits.models import Requirement
from tests.queries import AppQueries

from ..factories import PASSWORD, AgencyFactory, RequirementFactory, UserFactory
from .test_catalogue import CATALOGUE, detail_url, public_service

pytestmark = pytest.mark.indonesian


def queries_of(client, url: str, **extra) -> tuple[int, str]:
    with AppQueries(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_a_repeat_visit_of_the_catalogue_costs_no_query(client, db):
    public_service(name="Izin Trayek Angkutan")

    first, page = queries_of(client, CATALOGUE)
    again, same = queries_of(client, CATALOGUE)

    assert first > 0
    assert again == 0
    # The same content (the base's form token is fresh each time, as it must be).
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", same) == token.sub("", page)
    assert "Izin Trayek Angkutan" in same


def test_a_renamed_service_shows_at_the_next_visit(client, db):
    service = public_service(name="Izin Trayek Angkutan")
    queries_of(client, CATALOGUE)
    queries_of(client, detail_url(service))

    service.name = "Izin Trayek Angkutan Perkotaan"
    service.save()

    assert "Izin Trayek Angkutan Perkotaan" in queries_of(client, CATALOGUE)[1]
    assert "Izin Trayek Angkutan Perkotaan" in queries_of(client, detail_url(service))[1]


def test_a_new_requirement_and_a_new_technical_agency_show_on_the_service_page(client, db):
    service = public_service()
    queries_of(client, detail_url(service))
    assert queries_of(client, detail_url(service))[0] == 0

    RequirementFactory(service=service, name="Salinan KTP penanggung jawab")
    service.technical_agencies.add(AgencyFactory(name="Dinas Perhubungan Contoh"))

    page = queries_of(client, detail_url(service))[1]
    assert "Salinan KTP penanggung jawab" in page
    assert "Dinas Perhubungan Contoh" in page
    Requirement.objects.filter(service=service).delete()
    assert "Salinan KTP penanggung jawab" not in queries_of(client, detail_url(service))[1]


def test_each_language_and_filter_has_its_own_page(client, db):
    public_service(name="Izin Trayek Angkutan", sector="Perhubungan")
    public_service(name="Izin Lingkungan", sector="Lingkungan Hidup")

    indonesian = queries_of(client, CATALOGUE)[1]
    filtered = queries_of(client, CATALOGUE + "?sector=Perhubungan")[1]
    english = queries_of(client, CATALOGUE, HTTP_ACCEPT_LANGUAGE="en")[1]

    assert "Katalog layanan" in indonesian and "Izin Lingkungan" in indonesian
    assert "Izin Lingkungan" not in filtered
    assert "Service catalogue" in english


def test_a_signed_in_visitor_gets_their_own_apply_form_not_a_cached_one(client, db):
    service = public_service()
    queries_of(client, detail_url(service))  # cached by an anonymous visit
    ani = UserFactory(email="ani@contoh.id")
    client.login(username=ani.email, password=PASSWORD)

    page = client.get(detail_url(service)).content.decode()

    assert reverse("permits:apply", args=[service.code]) in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_unknown_service_is_a_404_every_time(client, db):
    assert client.get(reverse("permits:service_detail", args=["TIDAK-ADA"])).status_code == 404
    assert client.get(reverse("permits:service_detail", args=["TIDAK-ADA"])).status_code == 404
