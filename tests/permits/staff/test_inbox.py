"""The staff inbox: who sees what, filters, search, sort, claim / release / reassign, paging and
a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.permits.lifecycle.kit import submitted, the_task
from tests.queries import AppQueries
from workflows.models import Task

from .helpers import client_for, post_task, texts, through_check

pytestmark = pytest.mark.django_db
INBOX = reverse("permits:staff_inbox")


def rows(response) -> list[int]:
    # From the HTML: a body served from the cache has no template context.
    return [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', response.content.decode())]


def test_it_lists_new_applications_for_the_front_office_only(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    response = client_for(cast.budi).get(INBOX)
    assert response.status_code == 200
    assert rows(response) == [task.pk]
    assert application.tracking_number in response.content.decode()
    assert rows(client_for(cast.citra).get(INBOX)) == []


def test_it_is_not_there_for_applicants(two_opd, cast):
    submitted(two_opd, cast.ani)
    assert client_for(cast.ani).get(INBOX).status_code == 404
    assert client_for(cast.ani).get(INBOX.replace("petugas/", "x/")).status_code == 404


def test_it_shows_an_opd_officer_only_the_tasks_of_their_agency(two_opd, akdp, cast):
    both = submitted(two_opd, cast.ani)
    dishub_only = submitted(akdp, cast.bayu)
    through_check(both, cast.budi)
    through_check(dishub_only, cast.budi)
    post_task(cast.fajar, the_task(dishub_only, 3), {"notes": "lengkap"})
    queue = client_for(cast.gita).get(INBOX, {"scope": "queue"})
    assert {Task.objects.get(pk=pk).application_id for pk in rows(queue)} == {both.pk}
    dishub_task = Task.objects.get(application=dishub_only, status=Task.Status.OPEN)
    gita = client_for(cast.gita)
    assert gita.get(reverse("permits:task_detail", args=[dishub_task.pk])).status_code == 404
    document = dishub_only.documents.first()
    url = reverse("permits:staff_file", args=["document", document.pk])
    assert gita.get(url).status_code == 404
    assert client_for(cast.citra).get(url).status_code == 200


def test_it_filters_searches_and_sorts(two_opd, akdp, cast):
    first = submitted(two_opd, cast.ani)
    second = submitted(akdp, cast.bayu)
    third = submitted(two_opd, cast.bayu)
    t1, t2, t3 = (the_task(a, 2) for a in (first, second, third))
    now = timezone.now()
    Task.objects.filter(pk=t1.pk).update(due_at=None)
    Task.objects.filter(pk=t2.pk).update(due_at=now + timedelta(days=2))
    Task.objects.filter(pk=t3.pk).update(due_at=now + timedelta(days=1))
    budi = client_for(cast.budi)
    assert rows(budi.get(INBOX)) == [t3.pk, t2.pk, t1.pk]  # soonest due first, none last
    assert rows(budi.get(INBOX, {"sort": "age"})) == [t1.pk, t2.pk, t3.pk]
    assert rows(budi.get(INBOX, {"service": "DISHUB-AKDP"})) == [t2.pk]
    assert rows(budi.get(INBOX, {"q": second.tracking_number})) == [t2.pk]
    assert rows(budi.get(INBOX, {"q": "uji dua", "sort": "age"})) == [t1.pk, t3.pk]
    assert rows(budi.get(INBOX, {"action": "recommend"})) == []
    assert len(rows(budi.get(INBOX, {"action": "check"}))) == 3


def test_it_claims_releases_and_filters_by_holder(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    citra, cahya = client_for(cast.citra), client_for(cast.cahya)
    citra.post(reverse("permits:task_claim", args=[task.pk]))
    task.refresh_from_db()
    assert task.assignee == cast.citra
    assert rows(citra.get(INBOX, {"state": "mine"})) == [task.pk]
    # Claimed by Citra: out of Cahya's actionable list, still in the agency queue.
    assert rows(cahya.get(INBOX)) == []
    assert rows(cahya.get(INBOX, {"scope": "queue", "state": "claimed"})) == [task.pk]
    refused = cahya.post(reverse("permits:task_release", args=[task.pk]), follow=True)
    assert any("Only the person holding" in m for m in texts(refused))
    citra.post(reverse("permits:task_release", args=[task.pk]))
    task.refresh_from_db()
    assert task.assignee is None
    assert rows(cahya.get(INBOX, {"state": "open"})) == [task.pk]


def test_it_reassigns_within_the_agency_only(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    citra = client_for(cast.citra)
    url = reverse("permits:task_reassign", args=[task.pk])
    citra.post(url, {"to_user": cast.gita.pk})
    task.refresh_from_db()
    assert task.assignee is None
    citra.post(url, {"to_user": cast.cahya.pk, "reason": "cuti"})
    task.refresh_from_db()
    assert task.assignee == cast.cahya


def _queries(client) -> int:
    client.get(INBOX, {"scope": "queue"})  # warm the caches (the filters' choices)
    with AppQueries(connection) as captured:
        assert client.get(INBOX, {"scope": "queue"}).status_code == 200
    return len(captured)


def test_it_keeps_the_same_number_of_queries_as_tasks_grow(two_opd, cast):
    for _ in range(3):
        submitted(two_opd, cast.ani)
    budi = client_for(cast.budi)
    # The first request fills the per-catalogue-version caches (the service list): not a
    # query per task, so it is left out of the comparison.
    _queries(budi)
    few = _queries(budi)
    for _ in range(17):
        submitted(two_opd, cast.bayu)
    assert _queries(budi) == few


def test_it_pages_long_lists(two_opd, cast):
    for _ in range(22):
        submitted(two_opd, cast.ani)
    budi = client_for(cast.budi)
    assert len(rows(budi.get(INBOX))) == 20
    assert len(rows(budi.get(INBOX, {"page": 2}))) == 2


def test_each_row_shows_the_clock_of_its_task(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    assert "No time norm" in client_for(cast.budi).get(INBOX).content.decode()

    # Saved as the clocks save a due date (a raw update would not replace the cached rows).
    task.due_at = timezone.now() + timedelta(days=7)
    task.save(update_fields=["due_at"])
    page = client_for(cast.budi).get(INBOX).content.decode()
    assert "On time" in page and "WITA" in page

    task.due_at = timezone.now() - timedelta(minutes=1)
    task.save(update_fields=["due_at"])
    assert "Overdue" in client_for(cast.budi).get(INBOX).content.decode()
