"""The complaints and SKM panels of the dashboard and the IKM on the transparency page, from
the feedback app's figures."""

from datetime import date, timedelta

import pytest

from feedback.models import Complaint, SurveyResponse
from monitoring import transparency

from .conftest import page_tables
from .world import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices(world):
    for score in (4, 3):
        SurveyResponse.objects.create(
            service=world.service,
            channel=SurveyResponse.Channel.PAPER,
            answered_on=date(2026, 9, 15),
            **{f"u{i}": score for i in range(1, 10)},
        )
    common = {"access_code_hash": "x", "category": "service_time", "text": "Lama sekali."}
    Complaint.objects.create(
        number="ADU-1",
        received_at=at(9, 2),
        due_at=at(9, 9),
        answered_at=at(9, 4),
        status=Complaint.Status.ANSWERED,
        **common,
    )
    Complaint.objects.create(number="ADU-2", received_at=at(9, 20), due_at=at(9, 27), **common)
    return world


def test_the_dashboard_shows_complaints_and_the_survey(client, voices, dewi):
    client.force_login(dewi)
    html = client.get("/pantau/?from=2026-09-01&to=2026-10-31").content.decode()
    t = page_tables(html)
    complaints = {r["figure"]: r["value"] for r in t["complaints"]}
    assert complaints["Complaints received"] == "2"
    assert complaints["Resolved (answered or closed)"] == "1"
    assert complaints["Open past the response time"] == "1"  # ADU-2 was due 27 Sep
    assert complaints["Answered within the response time (%)"] == "100.0"
    skm = {r["figure"]: r["value"] for r in t["skm"]}
    assert skm["Respondents"] == "2"
    # NRR 3.5 on each of 9 elements × 0.111 = 3.4965; × 25 = 87.41 → B (76.61–88.30).
    assert skm["Satisfaction index (IKM, 1–4)"] == "3.4965"
    assert skm["Converted score (×25)"] == "87.41"
    assert skm["Grade"] == "B (Baik)"


def test_the_transparency_page_shows_the_latest_ikm(client, voices, monkeypatch):
    monkeypatch.setattr(transparency, "today", lambda: date(2026, 10, 31))
    html = client.get("/transparansi/").content.decode()
    assert 'data-col="ikm">87.41 (B · Baik)<' in html
    monkeypatch.setattr(transparency, "today", lambda: date(2026, 10, 31) + timedelta(days=200))
    html = client.get("/transparansi/").content.decode()
    assert 'data-col="ikm">—<' in html
