"""The printed "Jumlah waktu" is the office's service time: the longest path of office steps
(of two alternative branches the longer, a loop once), the applicant's time apart, hours folded
into working days; the editor warns before publishing when it exceeds the service standard."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from permits.seed.catalogue import seed_files
from tests.factories import ServiceFactory, build_sop_version
from workflows.durations import Duration, TimedStep, fold, office_day_minutes, service_time
from workflows.editor import service_time_warning
from workflows.validation import resolved_next

DAY = 450  # 7½ office hours: the shortest day of the default office week


def _step(no, *exits, value=0, unit="days", applicant=False):
    return TimedStep(no, exits, Duration(value, unit) if value else None, applicant)


def test_the_office_day_is_the_shortest_working_day_of_the_calendar():
    assert office_day_minutes() == DAY


def test_of_two_alternative_branches_only_the_longer_counts():
    steps = [
        _step(1, 2, value=15, unit="minutes", applicant=True),
        _step(2, 3, 4, value=1),  # decision: sign the permit (3) or the rejection (4)
        _step(3, 5, value=2),
        _step(4, 5, value=1),
        _step(5, value=30, unit="minutes"),
    ]
    timing = service_time(steps, DAY)

    assert timing.path == (1, 2, 3, 5)
    assert timing.office == [Duration(3, "days"), Duration(30, "minutes")]
    assert timing.applicant == [Duration(15, "minutes")]


def test_a_loop_back_counts_once_and_hours_fold_into_working_days():
    steps = [
        _step(1, 2, value=1, applicant=True),
        _step(2, 3, 1, value=10, unit="hours"),  # incomplete: back to the applicant
        _step(3, 4, value=6, unit="hours"),
        _step(4, value=1, unit="weeks"),
    ]
    timing = service_time(steps, DAY)

    # 16 hours = 2 days (15 h) + 1 hour; one week = 5 working days
    assert timing.office == [Duration(7, "days"), Duration(1, "hours")]
    assert timing.office_minutes == 16 * 60 + 5 * DAY
    assert fold(16 * 60, DAY) == [Duration(2, "days"), Duration(1, "hours")]


def _timed(path):
    sop = json.loads(path.read_text())["sop"]
    applicant = {p["key"] for p in sop["performers"] if p["role"] == "applicant"}
    out = []
    for s in sop["steps"]:
        keys = s["performer"] if isinstance(s["performer"], list) else [s["performer"]]
        d = s.get("duration")
        exits = tuple(e for e in (resolved_next(s), s.get("on_yes"), s.get("on_no")) if e)
        out.append(
            TimedStep(
                s["no"], exits, Duration(d["value"], d["unit"]) if d else None, keys[0] in applicant
            )
        )
    return out


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem)
def test_no_demo_sop_prints_a_total_above_its_service_standard(path):
    doc = json.loads(path.read_text())
    standard = doc["service"]["service_time"]
    timing = service_time(_timed(path), DAY)

    assert not timing.exceeds(Duration(standard["value"], standard["unit"]), DAY), timing.office


@pytest.mark.django_db
def test_the_editor_warns_before_publishing_when_the_total_exceeds_the_standard(client, eko):
    service = ServiceFactory(code="LAMBAT", service_time_value=2, service_time_unit="days")
    draft = build_sop_version(service, publish=False)  # 15 min, 30 min, 3 days, 1 day
    with translation.override("en"):
        warning = service_time_warning(draft)
    assert "longer than the service standard" in warning and "4 working days" in warning

    client.force_login(eko)
    url = reverse("workflows:sop_version", args=[draft.sop.code, draft.version])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="service-time-warning"' in html

    service.service_time_value = 5
    service.save()
    draft.sop.refresh_from_db()
    assert service_time_warning(draft) == ""
