"""Each step's due date, clock state and pauses, the service time and the predicted completion
in the application detail API and the public tracking API, documented in the schema, in a
constant number of queries whatever the number of steps."""

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.utils.dateparse import parse_datetime

from tests.permits.applicant.progress_kit import at_inspection, checked, grow
from tests.permits.lifecycle.kit import the_task
from tests.queries import AppQueries
from workflows import calendar, clocks
from workflows.models import ServiceClock, Task

pytestmark = pytest.mark.django_db


def _detail(client, application) -> dict:
    response = client.get(f"/api/v1/applications/{application.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def _tracked(client, application, code):
    return client.post(
        "/api/v1/tracking/",
        {"tracking_number": application.tracking_number, "access_code": code},
        format="json",
    )


def test_the_detail_carries_each_steps_clock_and_the_service_time(as_user, cast, akdp):
    application, _code = at_inspection(akdp, cast)
    inspection = the_task(application, 4)
    body = _detail(as_user(cast.ani), application)

    steps = {(s["step"], s["cycle"]): s for s in body["steps"]}
    assert steps[(2, 1)]["clock"] == "done_on_time"
    paused = steps[(4, 1)]
    assert paused["clock"] == "paused" and paused["clock_label"] == "Paused"
    assert parse_datetime(paused["due_at"]) == inspection.due_at
    [pause] = paused["pauses"]
    assert pause["reason"] == "external_wait" and pause["ended"] is None
    assert pause["until"] == inspection.paused_until.isoformat()
    assert "Perhubungan" in pause["agency"]
    assert "Perhubungan" in pause["by"] and cast.citra.full_name not in pause["by"]

    assert [s["step"] for s in body["upcoming"]] == [5, 6, 7, 9]
    assert body["upcoming"][0]["norm"] == {"value": 3, "unit": "days"}

    clock = ServiceClock.objects.get(application=application)
    service_time = body["service_time"]
    assert service_time["status"] == "on_time" and service_time["norm"] == {
        "value": 10,
        "unit": "days",
    }
    assert parse_datetime(service_time["due_at"]) == clock.due_at
    assert service_time["working_days"] == 10 and service_time["working_days_used"] == 0
    assert parse_datetime(body["predicted_completion"]) == clocks.predicted_completion(application)


def test_staff_who_see_the_application_get_its_clocks_too(as_user, cast, akdp):
    application, _code = checked(akdp, cast)
    body = _detail(as_user(cast.fajar), application)
    assert body["steps"][-1]["clock"] in ("on_time", "due_soon")
    assert as_user(cast.bayu).get(f"/api/v1/applications/{application.pk}/").status_code == 404


def test_the_tracking_api_carries_clocks_and_pauses_without_personal_data(as_user, cast, akdp):
    application, code = at_inspection(akdp, cast)
    response = _tracked(as_user(), application, code)
    assert response.status_code == 200
    body = response.json()
    [pause] = [p for s in body["steps"] for p in s["pauses"]]
    assert set(pause) == {"reason", "reason_label", "started", "ended", "until", "agency"}
    assert body["service_time"]["status"] == "on_time"
    assert body["predicted_completion"] is not None
    text = response.content.decode()
    for person in (cast.ani, cast.budi, cast.fajar, cast.citra):
        assert person.full_name not in text and person.email not in text
    assert "Cek armada" not in text


def test_the_schema_documents_the_clocks(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    schemas = yaml.safe_load(path.read_text())["components"]["schemas"]
    for name in ("ApplicationDetailOutput", "TrackingOutput"):
        fields = schemas[name]["properties"]
        assert {"steps", "upcoming", "service_time", "predicted_completion"} <= set(fields), name
    step = schemas["StepClockOutput"]["properties"]
    assert {"due_at", "clock", "pauses"} <= set(step)
    assert "by" in schemas["PauseOutput"]["properties"]
    assert "by" not in schemas["PublicPauseOutput"]["properties"]
    assert "working_days_used" in schemas["ServiceTimeOutput"]["properties"]


def _queries(fetch) -> int:
    with AppQueries(connection) as captured:
        assert fetch().status_code == 200
    return len(captured)


def test_the_apis_take_the_same_number_of_queries_for_3_and_12_steps(as_user, cast, akdp):
    application, code = checked(akdp, cast)
    calendar.current()
    client = as_user(cast.ani)
    url = f"/api/v1/applications/{application.pk}/"

    def both() -> tuple[int, int]:
        detail = _queries(lambda: client.get(url))
        return detail, _queries(lambda: _tracked(client, application, code))

    # A first request fills the per-catalogue-version caches (the SOP's steps, the service
    # list): once per version, not per step or task, so it is left out of the comparison.
    both()
    small = both()
    grow(application, 9)
    assert Task.objects.filter(application=application).count() == 12
    big = both()
    assert small == big
    assert len(client.get(url).json()["steps"]) == 12
