"""The applicant's list of applications: what it shows and its constant query count."""

import pytest
from django.db import connection
from django.urls import reverse

from permits import lifecycle
from tests.permits.lifecycle.kit import submitted
from tests.queries import AppQueries

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with AppQueries(connection) as captured:
        response = client.get(reverse("permits:my_applications"))
    assert response.status_code == 200
    return len(captured)


def test_it_keeps_the_query_count_of_the_list_constant(client, cast, two_opd, akdp):
    client.force_login(cast.ani)
    for _ in range(2):
        submitted(two_opd, cast.ani)
    lifecycle.create_draft(akdp, cast.ani)
    few = _queries(client)
    for _ in range(11):
        submitted(akdp, cast.ani)
    lifecycle.create_draft(two_opd, cast.ani)
    many = _queries(client)
    assert many == few


def test_it_lists_only_the_applicants_own_applications_with_their_current_step(
    client, cast, two_opd
):
    mine = submitted(two_opd, cast.ani)
    theirs = submitted(two_opd, cast.bayu)
    draft = lifecycle.create_draft(two_opd, cast.ani)
    client.force_login(cast.ani)
    page = client.get(reverse("permits:my_applications")).content.decode()
    assert mine.tracking_number in page and theirs.tracking_number not in page
    assert "Memeriksa kelengkapan" in page and "Front Office" in page and "DPMPTSP" in page
    assert reverse("permits:application_form", args=[draft.pk]) in page
    assert "Izin Uji Dua OPD" in page


def test_it_pages_the_list_newest_first(client, cast, two_opd, monkeypatch):
    monkeypatch.setattr("permits.applicant_views.APPLICATIONS_PER_PAGE", 2)
    oldest, middle, newest = (submitted(two_opd, cast.ani) for _ in range(3))
    client.force_login(cast.ani)

    first = client.get(reverse("permits:my_applications")).content.decode()
    second = client.get(reverse("permits:my_applications") + "?page=2").content.decode()

    assert newest.tracking_number in first and middle.tracking_number in first
    assert oldest.tracking_number not in first and "Page 1 of 2" in first
    assert oldest.tracking_number in second and newest.tracking_number not in second
