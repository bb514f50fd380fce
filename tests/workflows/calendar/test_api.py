"""The working-time API: the calendar of a year, a task's clock, an application's predicted
completion, and who may read them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.permits.lifecycle.kit import submitted, the_task

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_it_publishes_the_calendar_of_a_year():
    data = client_for().get("/api/v1/calendar/2026/").json()

    days = {d["date"]: d["name"] for d in data["non_working_days"]}
    assert days["2026-03-20"] == "Cuti Bersama Hari Raya Idul Fitri"
    assert data["time_zone"] == "Asia/Makassar"
    friday = data["office_hours"][4]
    assert friday["intervals"][-1]["closes"] == "16:30:00"
    assert data["office_hours"][6]["intervals"] == []


def test_it_shows_a_tasks_clock_to_those_who_see_the_task(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)

    data = client_for(cast.budi).get(f"/api/v1/tasks/{task.pk}/clock/").json()

    assert data["status"] in ("on_time", "due_soon")
    assert data["due_at"] is not None and data["pauses"] == []
    assert client_for(UserFactory()).get(f"/api/v1/tasks/{task.pk}/clock/").status_code == 404


def test_it_predicts_when_the_application_completes(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)

    data = client_for(cast.ani).get(f"/api/v1/applications/{application.pk}/clock/").json()

    assert data["predicted_completion"] > data["tasks"][-1]["due_at"]
    assert task.pk in [t["task"] for t in data["tasks"]]
    stranger = client_for(UserFactory())
    assert stranger.get(f"/api/v1/applications/{application.pk}/clock/").status_code == 404


def test_the_schema_documents_the_working_time_api(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/calendar/{year}/" in schema
    assert "predicted_completion" in schema


# A Monday morning a week before the visit: the visit date is in the future whatever the day.
@time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Makassar")))
def test_a_paused_clock_says_why_who_and_since_when(akdp, cast):
    from datetime import timedelta

    from django.utils import timezone

    from permits.actions import schedule_inspection
    from workflows import engine

    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    inspect = the_task(application, 4, "DISHUB")
    visit = timezone.localdate() + timedelta(days=1)  # a visit date is never in the past
    schedule_inspection(inspect, cast.citra, visit)

    data = client_for(cast.citra).get(f"/api/v1/tasks/{inspect.pk}/clock/").json()

    assert data["status"] == "paused"
    [pause] = data["pauses"]
    assert pause["reason"] == "external_wait" and pause["ended"] is None
    assert pause["by"] == str(cast.citra) and pause["until"] == visit.isoformat()
