"""The inbox's queries at scale: pages chosen on the task table alone follow the sort across
pages, the "to act on" inbox keeps its query count as tasks grow, and the access rule stays
the same for someone who is both an officer and an applicant."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.permits.lifecycle.kit import submitted, the_task
from tests.queries import AppQueries
from workflows import engine
from workflows.models import Task

from .helpers import client_for

pytestmark = pytest.mark.django_db
INBOX = reverse("permits:staff_inbox")


def rows(response) -> list[int]:
    return [t.pk for t in response.context["page"].object_list]


def test_the_pages_follow_the_due_date_order_across_pages(two_opd, cast):
    tasks = [the_task(submitted(two_opd, cast.ani), 2) for _ in range(23)]
    now = timezone.now()
    for n, task in enumerate(tasks):
        # Latest first in creation order; two without a due date go last.
        due = None if n < 2 else now + timedelta(hours=len(tasks) - n)
        Task.objects.filter(pk=task.pk).update(due_at=due)
    expected = [t.pk for t in reversed(tasks[2:])] + [tasks[0].pk, tasks[1].pk]

    budi = client_for(cast.budi)
    first, second = budi.get(INBOX), budi.get(INBOX, {"page": 2})

    assert rows(first) + rows(second) == expected
    assert second.context["page"].paginator.num_pages == 2
    assert cast.ani.full_name in second.content.decode()  # rows come with what they show


def _queries(client, **params) -> int:
    client.get(INBOX, params)  # warm the caches (the filters' choices)
    with AppQueries(connection) as captured:
        assert client.get(INBOX, params).status_code == 200
    return len(captured)


def test_the_inbox_to_act_on_keeps_its_query_count_as_tasks_grow(two_opd, cast):
    for _ in range(2):
        submitted(two_opd, cast.ani)
    budi = client_for(cast.budi)
    # A first request fills the per-catalogue-version caches (the SOP's steps, the service
    # list): once per version, not per step or task, so it is left out of the comparison.
    _queries(budi)
    few = _queries(budi)
    for _ in range(23):
        submitted(two_opd, cast.bayu)
    assert _queries(budi) == few
    assert _queries(budi, page=2) == few


def test_an_officer_who_applies_acts_on_their_own_step_in_the_api_not_in_the_inbox(two_opd, cast):
    own = submitted(two_opd, cast.citra)  # a DISHUB officer files an application of their own
    engine.return_to_applicant(the_task(own, 2), cast.budi, "Foto buram", ["ktp"])
    mine = Task.objects.get(application=own, status=Task.Status.OPEN)
    assert mine.role == "applicant"
    other = submitted(two_opd, cast.ani)
    engine.complete(the_task(other, 2), cast.budi, outcome="yes")
    dishub = the_task(other, 3, "DISHUB")

    api = APIClient()
    api.force_authenticate(cast.citra)
    listed = {t["id"] for t in api.get("/api/v1/tasks/").json()["results"]}
    assert listed == {mine.pk, dishub.pk}
    assert rows(client_for(cast.citra).get(INBOX)) == [dishub.pk]
    assert set(Task.objects.actionable_by(cast.citra)) == {mine, dishub}
    assert set(Task.objects.actionable_by(cast.citra, as_applicant=False)) == {dishub}


def test_the_rule_reads_tasks_without_joining_every_one_to_its_application(two_opd, cast):
    # A join (or ``IN (subquery)``) inside the OR made PostgreSQL read every open task.
    sql = str(Task.objects.actionable_by(cast.citra).query)
    assert " JOIN " not in sql and "= ANY(ARRAY(" in sql
    assert " JOIN " not in str(Task.objects.visible_to(cast.citra).query)
