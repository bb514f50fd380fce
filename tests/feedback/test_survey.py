"""Taking survey answers: invitation when an application is finished, one answer per
application, the paper form, and the results per service."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from feedback import stats, surveys
from feedback.models import SurveyResponse
from permits.models import Notification
from tests.permits.lifecycle.kit import submitted

from .kit import answers, finished, response

pytestmark = pytest.mark.django_db


def test_the_applicant_is_invited_when_the_application_is_finished(
    two_opd, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = finished(two_opd, cast)
    invitation = Notification.objects.get(application=application, link__contains="/survei/")
    assert invitation.recipient == cast.ani
    assert invitation.mail.sent_at is not None  # mailed as its own outbox mail
    mails = [m for m in mail.outbox if "Survei Kepuasan Masyarakat" in m.subject]
    assert len(mails) == 1 and mails[0].to == [cast.ani.email]
    assert invitation.link in mails[0].body
    assert application.tracking_number in mails[0].body


def test_the_signed_link_takes_one_answer_per_application(two_opd, cast):
    application = finished(two_opd, cast)
    url = surveys.survey_link(application)
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert "kesesuaian persyaratan pelayanan" in page.content.decode()
    done = client.post(url, {**answers(4), "gender": "P", "suggestions": "Cepat sekali"})
    assert done.status_code == 302
    saved = SurveyResponse.objects.get(application=application)
    assert saved.answers == [4] * 9 and saved.service == two_opd and saved.gender == "P"
    again = client.post(url, answers(1))
    assert "already been answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(surveys.SurveyError):
        surveys.answer_online(application, answers(2))


def test_bad_answers_get_a_clear_error(two_opd, cast):
    application = finished(two_opd, cast)
    bad = {**answers(3), "u5": "7"}
    page = Client().post(surveys.survey_link(application), bad)
    assert page.status_code == 400
    assert "from 1 to 4" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_forged_link_or_an_unfinished_application_is_refused(two_opd, cast):
    assert Client().get("/survei/isi/bukan-tautan/").status_code == 404
    running = submitted(two_opd, cast.bayu)
    with pytest.raises(surveys.SurveyError):
        surveys.answer_online(running, answers(3))
    assert Client().get(surveys.survey_link(running)).status_code == 404


def test_the_front_office_types_in_a_paper_form(two_opd, cast):
    client = Client()
    client.force_login(cast.budi)
    url = "/pantau/skm/kertas/"
    assert client.get(url).status_code == 200
    done = client.post(url, {**answers(3, 3, 3, 4, 4, 4, 2, 2, 2), "service": two_opd.pk})
    assert done.status_code == 302
    paper = SurveyResponse.objects.get()
    assert paper.channel == SurveyResponse.Channel.PAPER and paper.entered_by == cast.budi
    outsider = Client()
    outsider.force_login(cast.citra)
    assert outsider.get(url).status_code == 404


def test_ikm_by_service_counts_the_period_and_the_population(two_opd, cast):
    application = finished(two_opd, cast)
    today = timezone.localdate()
    response(two_opd, 4, on=today)
    response(two_opd, [3] * 9, on=today)
    response(two_opd, 1, on=today - timedelta(days=400))  # outside the period
    results = stats.ikm_by_service(today - timedelta(days=30), today)
    result = results[two_opd.pk]
    assert result.respondents == 2
    assert result.nrr[0] == Decimal("3.5")
    # 9 x 3.5 x 0.111 = 3.4965 -> x25 = 87.4125 -> 87.41 B Baik
    assert result.converted == Decimal("87.41") and result.grade == "B"
    assert result.grade_label == "Baik"
    assert result.population == 1 and result.required_sample == 1
    assert application.status == "rejected"
    assert stats.ikm_by_service(date(2000, 1, 1), date(2000, 12, 31)) == {}


def test_ikm_by_service_answers_in_constant_queries(two_opd, cast, django_assert_max_num_queries):
    today = timezone.localdate()
    response(two_opd, 4)
    with django_assert_max_num_queries(2):
        stats.ikm_by_service(today, today)
    for value in (1, 2, 3, 4) * 5:
        response(two_opd, value)
    with django_assert_max_num_queries(2):
        assert stats.ikm_by_service(today, today)[two_opd.pk].respondents == 21


def test_results_per_agency_follow_the_services_it_recommends_on(two_opd, akdp, cast):
    from agencies.models import Agency

    today = timezone.localdate()
    response(two_opd, 4)  # DISHUB and DLH recommend on it
    response(akdp, 2)  # DISHUB only
    dishub, dlh, office = (Agency.objects.get(code=c) for c in ("DISHUB", "DLH", "DPMPTSP"))
    by_agency = stats.ikm_by_agency(today, today)
    assert by_agency[dishub.pk].respondents == 2
    assert by_agency[dishub.pk].nrr[0] == Decimal(3)
    assert by_agency[dlh.pk].respondents == 1 and by_agency[dlh.pk].grade == "A"
    assert stats.ikm(today, today, agency_id=dlh.pk).respondents == 1
    assert stats.ikm(today, today, agency_id=office.pk).respondents == 2
    assert stats.ikm(today, today, service_id=akdp.pk).grade == "D"  # 2 x 9 x .111 x 25 = 49.95


def test_the_survey_url_tag_offers_the_link_until_answered(two_opd, cast):
    from django.template import Context, Template

    tpl = Template("{% load feedback_tags %}[{% survey_url application %}]")
    running = submitted(two_opd, cast.bayu)
    assert tpl.render(Context({"application": running})) == "[]"
    application = finished(two_opd, cast)
    assert "/survei/isi/" in tpl.render(Context({"application": application}))
    surveys.answer_online(application, answers(3))
    assert tpl.render(Context({"application": application})) == "[]"
