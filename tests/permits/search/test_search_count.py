"""The search counts its matches only up to a cap (a count of every one of 100,000 files costs
more than the page): past it the page and the API say "more than" and page up to the cap."""

import pytest
from django.db import connection
from django.urls import reverse

from permits.staff_services import CappedPaginator
from tests.permits.lifecycle.kit import submitted
from tests.permits.staff.helpers import client_for
from tests.queries import AppQueries

pytestmark = pytest.mark.django_db
SEARCH = reverse("permits:staff_search")


@pytest.fixture
def three_files(two_opd, cast):
    return [submitted(two_opd, cast.ani) for _ in range(3)]


def test_it_counts_exactly_up_to_the_cap(three_files, cast, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    response = client_for(cast.budi).get(SEARCH)
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.capped) == (3, False)
    assert "3 files found." in response.content.decode()


def test_past_the_cap_it_says_more_than_and_pages_up_to_it(three_files, cast, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    monkeypatch.setattr("permits.search_views.PAGE_SIZE", 1)
    budi = client_for(cast.budi)
    response = budi.get(SEARCH)
    paginator = response.context["page"].paginator
    assert (paginator.count, paginator.capped, paginator.num_pages) == (2, True, 2)
    html = response.content.decode()
    assert "More than 2 files found; narrow the search to see them all." in html
    assert "Page 1 of the first 2" in html
    newest_two = [a.pk for a in sorted(three_files, key=lambda a: a.submitted_at)][-2:]
    shown = [budi.get(SEARCH, {"page": n}).context["page"].object_list[0].pk for n in (1, 2)]
    assert shown == newest_two[::-1]


def test_the_api_says_when_its_count_is_capped(three_files, cast, monkeypatch):
    url = reverse("api-application-search")
    budi = client_for(cast.budi)
    body = budi.get(url).json()
    assert (body["count"], body["count_capped"]) == (3, False)
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    body = budi.get(url).json()
    assert (body["count"], body["count_capped"]) == (2, True)
    assert len(body["results"]) == 2


def test_past_the_cap_the_query_count_stays_the_same_as_files_grow(
    three_files, two_opd, cast, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    budi = client_for(cast.budi)
    budi.get(SEARCH)  # warm the session and the caches
    with AppQueries(connection) as before:
        budi.get(SEARCH)
    for _ in range(3):
        submitted(two_opd, cast.bayu)
    with AppQueries(connection) as after:
        response = budi.get(SEARCH)
    assert response.context["page"].paginator.capped
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
