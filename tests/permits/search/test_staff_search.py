"""Finding a file: staff search every file they may see (finished ones included) by number,
applicant name, NIK, service, agency, status and date; a result opens the staff page of the
file; the task page shows its due date and clock; notices to staff lead to pages staff open."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from permits import notifications
from permits.models import Application, Notification
from tests.permits.lifecycle.kit import submitted, the_task
from tests.permits.staff.helpers import client_for, through_check
from tests.queries import AppQueries
from workflows.models import Task

pytestmark = pytest.mark.django_db
SEARCH = reverse("permits:staff_search")


def found(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [a.pk for a in response.context["page"].object_list]


def _finish(application: Application) -> None:
    # Set-up shortcut: a file the office finished (the lifecycle tests walk the real path).
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.COMPLETED, completed_at=application.submitted_at
    )


@pytest.fixture
def files(two_opd, akdp, cast):
    User.objects.filter(pk=cast.ani.pk).update(nik="7471010101900001")
    User.objects.filter(pk=cast.bayu.pk).update(nik="7471010101900002")
    finished = submitted(two_opd, cast.ani)
    through_check(finished, cast.budi)
    _finish(finished)
    running = submitted(akdp, cast.bayu)
    return finished, running


def test_it_finds_a_finished_file_by_name_nik_and_number(files, cast):
    finished, running = files
    budi = client_for(cast.budi)
    assert found(budi.get(SEARCH, {"q": "ani pem"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"q": "7471010101900001"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"q": finished.tracking_number.lower()})) == [finished.pk]
    assert found(budi.get(SEARCH, {"status": "completed"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"service": "DISHUB-AKDP"})) == [running.pk]
    assert set(found(budi.get(SEARCH))) == {finished.pk, running.pk}
    page = budi.get(SEARCH, {"q": "ani"}).content.decode()
    assert reverse("permits:staff_application", args=[finished.pk]) in page
    assert "7471010101900001" in page  # the front office sees the NIK in full


def test_an_opd_sees_only_the_files_that_reached_it_and_nik_masked(files, cast):
    finished, running = files
    gita = client_for(cast.gita)  # DLH: the two-agency file reached it, the AKDP one did not
    assert found(gita.get(SEARCH)) == [finished.pk]
    assert found(gita.get(SEARCH, {"q": "bayu"})) == []
    page = gita.get(SEARCH).content.decode()
    assert "7471010101900001" not in page and "0001" in page
    dlh = cast.gita.memberships.get().agency_id
    assert found(client_for(cast.budi).get(SEARCH, {"agency": dlh})) == [finished.pk]


def test_it_filters_by_the_wita_day_of_submission(files, cast):
    finished, running = files
    Application.objects.filter(pk=finished.pk).update(
        submitted_at=datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 2 Dec WITA
    )
    Application.objects.filter(pk=running.pk).update(
        submitted_at=datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 1 Dec WITA
    )
    budi = client_for(cast.budi)
    assert found(budi.get(SEARCH, {"from": "2026-12-02", "to": "2026-12-02"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"to": "2026-12-01"})) == [running.pk]


def test_a_bad_date_is_a_400_that_says_why(files, cast):
    budi = client_for(cast.budi)
    response = budi.get(SEARCH, {"from": "2-12-2026"})
    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    response = budi.get(SEARCH, {"from": "2026-12-05", "to": "2026-12-01"})
    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()
    assert found(budi.get(SEARCH, {"status": "nonsense", "agency": "x'--"})) != []


def test_it_is_not_there_for_applicants(files, cast):
    finished, _running = files
    ani = client_for(cast.ani)
    assert ani.get(SEARCH).status_code == 404
    assert ani.get(reverse("permits:staff_application", args=[finished.pk])).status_code == 404


def test_it_reads_a_constant_number_of_queries(files, two_opd, cast):
    budi = client_for(cast.budi)
    budi.get(SEARCH)  # warm the session and the caches
    with AppQueries(connection) as before:
        budi.get(SEARCH)
    for _ in range(4):
        submitted(two_opd, cast.bayu)
    with AppQueries(connection) as after:
        response = budi.get(SEARCH)
    assert len(found(response)) == 6
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_the_file_page_shows_every_step_and_links_the_ones_the_reader_may_open(files, cast):
    finished, running = files
    url = reverse("permits:staff_application", args=[finished.pk])
    page = client_for(cast.citra).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert finished.tracking_number in html and "Ani Pemohon" in html
    dishub = Task.objects.get(application=finished, agency__code="DISHUB")
    dlh = Task.objects.get(application=finished, agency__code="DLH")
    assert reverse("permits:task_detail", args=[dishub.pk]) in html
    assert reverse("permits:task_detail", args=[dlh.pk]) not in html
    # The AKDP file is still at the front office: not DISHUB's yet.
    other = reverse("permits:staff_application", args=[running.pk])
    assert client_for(cast.citra).get(other).status_code == 404
    assert client_for(cast.budi).get(other).status_code == 200


def test_the_task_page_shows_its_due_date_and_clock(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    due = datetime(2030, 12, 2, 0, 0, tzinfo=UTC)  # 08.00 WITA
    Task.objects.filter(pk=task.pk).update(due_at=due)
    html = client_for(cast.budi).get(reverse("permits:task_detail", args=[task.pk]))
    html = html.content.decode()
    assert "2 December 2030, 08.00 WITA" in html
    assert "of office time left." in html
    Task.objects.filter(pk=task.pk).update(
        opened_at=timezone.now() - timedelta(days=30), due_at=timezone.now() - timedelta(days=2)
    )
    html = client_for(cast.budi).get(reverse("permits:task_detail", args=[task.pk]))
    assert "Overdue by" in html.content.decode()


def test_a_late_file_notice_leads_the_head_to_a_page_they_can_open(files, cast):
    finished, running = files

    class Clock:
        application = running
        deemed_approved_at = None

    notifications.on_late_applications([Clock()])
    notice = Notification.objects.get(recipient=cast.dewi, application=running)
    assert notice.link == reverse("permits:staff_application", args=[running.pk])
    assert client_for(cast.dewi).get(notice.link).status_code == 200


def test_the_api_searches_the_same_way(files, cast):
    finished, running = files
    url = reverse("api-application-search")
    budi = client_for(cast.budi)
    body = budi.get(url, {"q": "7471010101900001"}).json()
    assert [r["tracking_number"] for r in body["results"]] == [finished.tracking_number]
    assert body["results"][0]["status"] == "completed"
    bad = budi.get(url, {"to": "yesterday"})
    assert bad.status_code == 400 and "is not a date" in bad.json()["detail"]
    assert client_for(cast.ani).get(url).status_code == 404
    gita = client_for(cast.gita).get(url).json()
    assert [r["id"] for r in gita["results"]] == [finished.pk]


def test_it_finds_a_finished_file_by_company_name_and_nib(files, cast):
    finished, running = files
    # Set-up shortcut: the answers a company gave to the service's declared fields.
    Application.objects.filter(pk=finished.pk).update(
        data={"applicant_kind": "company", "company_name": "PT Anoa Nikel", "nib": "9120001234567"}
    )
    Application.objects.filter(pk=running.pk).update(data={"company_name": "CV Teluk Kendari"})
    budi = client_for(cast.budi)
    assert found(budi.get(SEARCH, {"q": "anoa nik"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"q": "9120001234567"})) == [finished.pk]
    assert found(budi.get(SEARCH, {"q": "912000123456"})) == []  # a NIB is matched whole
    assert found(budi.get(SEARCH, {"q": "teluk"})) == [running.pk]
