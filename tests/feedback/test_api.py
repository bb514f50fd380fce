"""The feedback API: survey answers and results, complaints public and staff."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import Agency
from feedback import surveys
from feedback.models import Complaint, SurveyResponse

from .kit import answers, finished, response

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def nine(value: int) -> dict:
    return {k: int(v) for k, v in answers(value).items()}


def test_the_invited_applicant_answers_once_by_token_or_account(two_opd, cast):
    application = finished(two_opd, cast)
    token = surveys.survey_token(application)
    first = api().post("/api/v1/survey/responses/", {"token": token, **nine(4)}, format="json")
    assert first.status_code == 201 and first.data["service"] == two_opd.code
    again = api(cast.ani).post(
        "/api/v1/survey/responses/", {"application": application.pk, **nine(1)}, format="json"
    )
    assert again.status_code == 409
    assert SurveyResponse.objects.get().answers == [4] * 9


def test_survey_answers_are_checked_and_others_get_404(two_opd, cast):
    application = finished(two_opd, cast)
    bad = api(cast.ani).post(
        "/api/v1/survey/responses/",
        {"application": application.pk, **nine(4), "u3": 5},
        format="json",
    )
    assert bad.status_code == 400 and "u3" in bad.data
    other = api(cast.bayu).post(
        "/api/v1/survey/responses/", {"application": application.pk, **nine(4)}, format="json"
    )
    assert other.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_survey_results_for_those_who_monitor(two_opd, cast):
    today = timezone.localdate().isoformat()
    response(two_opd, 4)
    response(two_opd, 2)
    url = f"/api/v1/survey/results/?start={today}&end={today}"
    assert api(cast.citra).get(url).status_code == 403
    body = api(cast.dewi).get(url).json()
    # NRR 3 per element: 0.111 -> 74.93 C; 1/9 -> 75.00 C
    assert body["overall"]["respondents"] == 2
    assert Decimal(body["overall"]["converted"]) == Decimal("74.93")
    assert body["overall"]["grade"] == "C" and body["overall"]["grade_label"] == "Kurang Baik"
    assert Decimal(body["overall"]["exact_converted"]) == Decimal("75.00")
    assert body["services"][0]["service_id"] == two_opd.pk


def test_complaints_public_create_and_track(cast):
    created = api().post(
        "/api/v1/complaints/",
        {"category": "fees", "text": "Biaya tidak sesuai", "email": "w@contoh.id"},
        format="json",
    )
    assert created.status_code == 201
    number, code = created.data["number"], created.data["access_code"]
    wrong = api().post(
        "/api/v1/complaints/track/", {"number": number, "access_code": "XXXX"}, format="json"
    )
    assert wrong.status_code == 404
    tracked = api().post(
        "/api/v1/complaints/track/", {"number": number, "access_code": code}, format="json"
    )
    assert tracked.status_code == 200 and tracked.data["status"] == "received"
    assert "email" not in tracked.data


def test_the_hourly_filing_limit_counts_the_api_and_the_page_together(cast, settings):
    """One limit per address, whichever door: two filings (one by the page, one by the API)
    use up a limit of two; the third, by the API, is a 429 and files nothing."""
    from django.test import Client

    settings.COMPLAINT_MAX_PER_HOUR = 2
    page = Client().post("/pengaduan/", {"category": "other", "text": "Lambat"})
    assert page.status_code == 302
    first = api().post("/api/v1/complaints/", {"category": "fees", "text": "A"}, format="json")
    assert first.status_code == 201
    third = api().post("/api/v1/complaints/", {"category": "fees", "text": "B"}, format="json")
    assert third.status_code == 429 and "Too many complaints" in third.data["detail"]
    assert Complaint.objects.count() == 2


def test_staff_api_scopes_complaints_to_the_assigned_agency(cast, rina):
    created = (
        api()
        .post("/api/v1/complaints/", {"category": "other", "text": "Lambat"}, format="json")
        .data
    )
    complaint = Complaint.objects.get(number=created["number"])
    base = f"/api/v1/complaints/staff/{complaint.pk}/"
    assert api(cast.citra).get(base).status_code == 404
    assert api(cast.citra).get("/api/v1/complaints/staff/").data["count"] == 0
    dishub = Agency.objects.get(code="DISHUB")
    assigned = api(rina).post(f"{base}assign/", {"agency": dishub.pk}, format="json")
    assert assigned.status_code == 200 and assigned.data["assigned_agency"] == "DISHUB"
    assert api(cast.citra).get("/api/v1/complaints/staff/").data["count"] == 1
    assert api(cast.gita).get(base).status_code == 404
    replied = api(cast.citra).post(f"{base}reply/", {"text": "Sudah ditangani"}, format="json")
    assert replied.status_code == 200 and replied.data["status"] == "answered"
    assert api(cast.citra).post(f"{base}assign/", {"agency": dishub.pk}).status_code == 404
    closed = api(rina).post(f"{base}status/", {"status": "closed"}, format="json")
    assert closed.data["status"] == "closed"
    figures = (
        api(rina)
        .get(f"/api/v1/complaints/figures/?start={timezone.localdate()}&end={timezone.localdate()}")
        .data
    )
    assert figures["received"] == 1 and figures["resolved"] == 1
    assert figures["by_status"]["closed"] == 1


def test_the_staff_list_answers_in_constant_queries(cast, rina, django_assert_max_num_queries):
    from feedback import complaints

    client = api(rina)
    complaints.file_complaint(category="other", text="satu")
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/complaints/staff/")
    for i in range(12):
        complaints.file_complaint(category="fees", text=f"aduan {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/complaints/staff/").data["count"] == 13
