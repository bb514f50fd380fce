"""The demo data of the feedback app."""

import io

import pytest

from feedback.demo import seed_feedback
from feedback.models import Complaint, SurveyResponse
from permits.seed.users import seed_users

pytestmark = pytest.mark.django_db


def test_seed_feedback_fills_the_pages_once(akdp, two_opd):
    seed_users()
    out = io.StringIO()
    first = seed_feedback(stdout=out)
    assert first["survey_responses"] == SurveyResponse.objects.count() > 0
    assert first["complaints"] == Complaint.objects.count() == 4
    assert Complaint.objects.filter(status=Complaint.Status.ANSWERED).count() == 2
    assert "complaints: 4 created" in out.getvalue()
    assert seed_feedback() == {"survey_responses": 0, "complaints": 0}
