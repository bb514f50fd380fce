"""The staff side of the lifecycle API: task lists, detail, claim / release / reassign, and
completing each kind of step, through to the issued permit."""

import datetime

import pytest
from django.utils import timezone

from permits.models import Application, IssuedDocument, Payment, Recommendation
from tests.api.conftest import count_queries
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import HANDOVER, submitted, the_task
from workflows import engine
from workflows.models import Task

from .kit import pdf

pytestmark = pytest.mark.django_db


def complete(client, task, data=None, format="json"):
    return client.post(f"/api/v1/tasks/{task.pk}/complete/", data or {}, format=format)


def test_it_lists_the_tasks_a_person_may_act_on(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    body = as_user(cast.budi).get("/api/v1/tasks/").json()
    assert [(t["tracking_number"], t["action"]) for t in body["results"]] == [
        (application.tracking_number, "check")
    ]
    assert as_user(cast.citra).get("/api/v1/tasks/").json()["results"] == []
    assert as_user(cast.ani).get("/api/v1/tasks/?scope=visible").json()["count"] == 2
    assert as_user(cast.bayu).get("/api/v1/tasks/?scope=visible").json()["count"] == 0
    bad = as_user(cast.budi).get("/api/v1/tasks/?scope=everything")
    assert bad.status_code == 400


def test_it_filters_tasks(as_user, cast, two_opd, akdp):
    first = submitted(two_opd, cast.ani)
    submitted(akdp, cast.bayu)
    client = as_user(cast.budi)
    found = client.get(f"/api/v1/tasks/?search={first.tracking_number}").json()["results"]
    assert [t["application"] for t in found] == [first.pk]
    assert client.get("/api/v1/tasks/?action=recommend").json()["count"] == 0
    assert client.get("/api/v1/tasks/?scope=visible&status=done").json()["count"] == 2
    engine.claim(the_task(first, 2), cast.budi)
    assert [t["application"] for t in client.get("/api/v1/tasks/?mine=true").json()["results"]] == [
        first.pk
    ]


def test_it_keeps_the_query_count_of_the_inbox_constant(as_user, cast, two_opd):
    client = as_user(cast.citra)
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    few = count_queries(client, "/api/v1/tasks/")
    for _ in range(5):
        more = submitted(two_opd, cast.bayu)
        engine.complete(the_task(more, 2), cast.budi, outcome="yes")
    assert client.get("/api/v1/tasks/").json()["count"] == 6
    assert count_queries(client, "/api/v1/tasks/") == few


def test_it_hides_another_agencys_task(as_user, cast, two_opd, akdp):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    dlh_task = the_task(application, 3, "DLH")
    citra = as_user(cast.citra)
    assert citra.get(f"/api/v1/tasks/{dlh_task.pk}/").status_code == 404
    assert citra.post(f"/api/v1/tasks/{dlh_task.pk}/claim/").status_code == 404
    response = complete(citra, dlh_task, {"verdict": "recommend"})
    assert response.status_code == 404
    assert not Recommendation.objects.exists()
    assert as_user(cast.bayu).get(f"/api/v1/tasks/{dlh_task.pk}/").status_code == 404
    assert as_user().get(f"/api/v1/tasks/{dlh_task.pk}/").status_code in (401, 403)


def test_it_claims_releases_and_reassigns(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    task = the_task(application, 3, "DISHUB")
    citra, cahya = as_user(cast.citra), as_user(cast.cahya)
    response = citra.post(f"/api/v1/tasks/{task.pk}/claim/")
    assert response.status_code == 200
    assert response.json()["assignee"] == cast.citra.email
    taken = cahya.post(f"/api/v1/tasks/{task.pk}/claim/")
    assert taken.status_code == 409
    assert cast.citra.full_name in taken.json()["detail"]
    assert cahya.post(f"/api/v1/tasks/{task.pk}/release/").status_code == 403
    assert citra.post(f"/api/v1/tasks/{task.pk}/release/").json()["assignee"] is None
    url = f"/api/v1/tasks/{task.pk}/reassign/"
    to_outsider = citra.post(url, {"to": cast.gita.email}, format="json")
    assert to_outsider.status_code == 403
    assert to_outsider.json()["detail"]
    unknown = citra.post(url, {"to": "nobody@contoh.id"}, format="json")
    assert unknown.status_code == 400
    assert "to" in unknown.json()
    moved = citra.post(url, {"to": cast.cahya.email, "reason": "Cuti"}, format="json")
    assert moved.json()["assignee"] == cast.cahya.email


def test_it_returns_a_file_from_the_check(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    budi = as_user(cast.budi)
    silent = complete(budi, task, {"results": {"ktp": {"accepted": False}}})
    assert silent.status_code == 400
    assert silent.json()["detail"]
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN
    response = complete(budi, task, {"results": {"ktp": {"accepted": False, "reason": "Buram"}}})
    assert response.status_code == 200, response.content
    assert response.json()["task"]["outcome"] == "no"
    assert Application.objects.get(pk=application.pk).status == Application.Status.RETURNED


def test_it_returns_a_file_by_name(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    url = f"/api/v1/tasks/{task.pk}/return/"
    budi = as_user(cast.budi)
    assert budi.post(url, {"reason": ""}, format="json").status_code == 400
    response = budi.post(
        url, {"reason": "Denah salah", "documents": {"denah": "Skala salah"}}, format="json"
    )
    assert response.status_code == 200
    assert application.documents.get(requirement_code="denah").status == "needs_correction"


def test_it_tells_the_second_person_that_the_task_is_done(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    assert complete(as_user(cast.budi), task, {"outcome": "yes"}).status_code == 200
    second = complete(as_user(cast.budi), task, {"outcome": "yes"})
    assert second.status_code == 409
    assert cast.budi.full_name in second.json()["detail"]
    assert Task.objects.filter(application=application, step__no=3).count() == 2


def test_it_refuses_a_yes_no_on_a_process_step_and_writes_nothing(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    task = the_task(application, 3, "DISHUB")
    response = complete(as_user(cast.citra), task, {"verdict": "bogus"})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Recommendation.objects.exists()
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN


def test_it_runs_a_file_to_the_permit_through_the_api(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    assert (
        complete(as_user(cast.budi), the_task(application, 2), {"outcome": "yes"}).status_code
        == 200
    )
    recommendation = complete(
        as_user(cast.citra),
        the_task(application, 3, "DISHUB"),
        {"verdict": "recommend", "notes": "Layak", "attachments": [pdf("bap.pdf")]},
        format="multipart",
    )
    assert recommendation.status_code == 200, recommendation.content
    assert recommendation.json()["opened"] == []
    last = complete(as_user(cast.gita), the_task(application, 3, "DLH"), {"verdict": "recommend"})
    assert [t["action"] for t in last.json()["opened"]] == ["decide"]
    no_reason = complete(as_user(cast.fajar), the_task(application, 4), {"verdict": "reject"})
    assert no_reason.status_code == 400
    decided = complete(as_user(cast.fajar), the_task(application, 4), {"verdict": "approve"})
    assert decided.json()["task"]["outcome"] == "yes"
    pay_task = the_task(application, 5)
    early = complete(as_user(cast.yusuf), pay_task)
    assert early.status_code == 409
    proof = as_user(cast.ani).post(
        f"/api/v1/applications/{application.pk}/payment-proof/",
        {"file": pdf("bukti.pdf")},
        format="multipart",
    )
    assert proof.status_code == 200
    assert proof.json()["billing_number"] == Payment.objects.get().billing_number
    code = {"payment_code": Payment.objects.get().billing_number}
    assert complete(as_user(cast.yusuf), pay_task, {"payment_code": "BL-0"}).status_code == 400
    assert complete(as_user(cast.yusuf), pay_task, code).status_code == 200
    signing = {"passphrase": SIGNING_PASSPHRASE}
    assert complete(as_user(cast.dewi), the_task(application, 6), signing).status_code == 200
    assert complete(as_user(cast.budi), the_task(application, 8), HANDOVER).status_code == 200
    issued = as_user(cast.ani).get(f"/api/v1/applications/{application.pk}/issued-documents/")
    [permit] = issued.json()
    assert permit["kind"] == IssuedDocument.Kind.PERMIT
    verified = as_user().get(permit["verification_url"])
    assert verified.json()["authentic"] is True
    assert verified.json()["number"] == permit["number"]


def test_it_schedules_and_reports_an_inspection(as_user, cast, akdp):
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    task = the_task(application, 4)
    citra = as_user(cast.citra)
    url = f"/api/v1/tasks/{task.pk}/schedule-inspection/"
    past = timezone.localdate() - datetime.timedelta(days=1)
    assert citra.post(url, {"visit_on": past.isoformat()}, format="json").status_code == 400
    today = timezone.localdate().isoformat()
    response = citra.post(url, {"visit_on": today}, format="json")
    assert response.status_code == 200
    assert response.json()["pause_reason"] == "external_wait"
    no_report = complete(citra, task, {"findings": "Baik"})
    assert no_report.status_code == 400
    done = complete(citra, task, {"findings": "Baik", "report": pdf("bap.pdf")}, "multipart")
    assert done.status_code == 200, done.content
    assert [t["action"] for t in done.json()["opened"]] == ["recommend"]
