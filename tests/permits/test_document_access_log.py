"""Who saw what (issue 16, item 8; UU 27/2022): every opening of an application's file by
someone other than its applicant is logged through ``permits.access_log``, and the applicant's
page lists who (role and agency), when (WITA), which file and for which task."""

# The lifecycle kit's fixtures are imported here (tests/permits has no conftest of its own), so
# test arguments of the same names "redefine" them.
# ruff: noqa: F811

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Agency
from permits.models import Attachment, DocumentAccess
from tests.permits.lifecycle.kit import akdp, cast, submitted, the_task, two_opd  # noqa: F401
from tests.permits.staff.helpers import client_for, through_check

pytestmark = pytest.mark.django_db


def office_name() -> str:
    return Agency.objects.get(code="DPMPTSP").name


def _staff_url(kind: str, row, inline: bool = False) -> str:
    return reverse("permits:staff_file", args=[kind, row.pk]) + ("?inline=1" if inline else "")


@pytest.fixture
def application(two_opd, cast):
    return submitted(two_opd, cast.ani)


def test_a_front_office_download_is_logged_with_the_task_it_was_for(application, cast):
    document = application.documents.get(requirement_code="ktp")

    response = client_for(cast.budi).get(_staff_url("document", document))

    assert response.status_code == 200
    entry = DocumentAccess.objects.get()
    task = the_task(application, 2)
    assert (entry.application, entry.viewer, entry.viewer_name) == (
        application,
        cast.budi,
        "Budi Front Office",
    )
    assert (entry.viewer_role, entry.viewer_agency) == ("front_office", office_name())
    assert entry.task == task
    assert entry.purpose == f"{task.step.no}. {task.step.activity}"
    assert (entry.file_kind, entry.file_id, entry.file_name) == ("document", document.pk, "ktp.pdf")
    assert (entry.door, entry.downloaded) == ("page", True)


def test_a_preview_is_logged_as_viewed(application, cast):
    document = application.documents.first()

    client_for(cast.budi).get(_staff_url("document", document, inline=True))

    assert DocumentAccess.objects.get().downloaded is False


def test_an_opd_officer_is_logged_with_their_agencys_task(application, cast):
    through_check(application, cast.budi)
    document = application.documents.first()

    assert client_for(cast.gita).get(_staff_url("document", document)).status_code == 200

    entry = DocumentAccess.objects.get()
    dlh = Agency.objects.get(code="DLH").name
    assert (entry.viewer_role, entry.viewer_agency) == ("technical_officer", dlh)
    assert entry.task == the_task(application, 3, "DLH")


def test_an_administrator_without_a_task_is_logged_by_role(application, cast):
    client_for(cast.eko).get(_staff_url("document", application.documents.first()))

    entry = DocumentAccess.objects.get()
    assert (entry.task, entry.purpose, entry.viewer_role) == (None, "", "administrator")


def test_an_attachment_of_a_task_is_logged_too(application, cast):
    task = the_task(application, 2)
    attachment = Attachment.objects.create(
        task=task, application=application, file="documents/x.pdf", original_name="nota.pdf"
    )
    # The stored file: the same bytes as the application's KTP.
    attachment.file.name = application.documents.first().file.name
    attachment.save()

    assert client_for(cast.budi).get(_staff_url("attachment", attachment)).status_code == 200

    entry = DocumentAccess.objects.get()
    assert (entry.file_kind, entry.file_name) == ("attachment", "nota.pdf")


def test_staff_on_the_applicants_own_address_are_logged(application, cast):
    document = application.documents.first()
    url = reverse("permits:applicant_document", args=[application.pk, document.pk])

    assert client_for(cast.budi).get(url).status_code == 200

    assert DocumentAccess.objects.get().viewer == cast.budi


def test_the_applicant_opening_her_own_file_is_not_logged(application, cast):
    document = application.documents.first()
    url = reverse("permits:applicant_document", args=[application.pk, document.pk])

    assert client_for(cast.ani).get(url).status_code == 200

    assert not DocumentAccess.objects.exists()


def test_a_refused_or_missing_file_logs_nothing(application, cast):
    document = application.documents.first()
    url = _staff_url("document", document)
    assert client_for(cast.gita).get(url).status_code == 404  # DLH has no task yet
    document.file.storage.delete(document.file.name)
    assert client_for(cast.budi).get(url).status_code == 404

    assert not DocumentAccess.objects.exists()


@pytest.mark.now("2026-12-02T09:15:00+08:00")
def test_the_applicant_sees_who_opened_her_documents_and_when_in_wita(application, cast):
    ktp = application.documents.get(requirement_code="ktp")
    client_for(cast.budi).get(_staff_url("document", ktp))
    entry = DocumentAccess.objects.get()
    assert entry.at.astimezone(dt.UTC).hour == 1  # stored in UTC

    page = client_for(cast.ani).get(reverse("permits:application_detail", args=[application.pk]))

    section = page.content.decode().split('id="document-accesses"')[1].split("</section>")[0]
    assert "Who opened my documents" in section
    assert re.search(r"2 December 2026, 09\.1\d WITA", section)
    assert f"Front office, {office_name()}" in section
    assert "ktp.pdf" in section and "downloaded" in section
    assert entry.purpose in section
    assert "Budi" not in section  # role and agency, never the officer's name


def test_an_application_nobody_opened_says_so(application, cast):
    page = client_for(cast.ani).get(reverse("permits:application_detail", args=[application.pk]))

    assert "Nobody has opened your documents yet." in page.content.decode()


def test_no_view_serves_an_application_file_around_the_log():
    """The one door: only ``permits.access_log`` streams application files (the complaint
    attachment, not an application's, is served by feedback; the issued, signed documents by
    ``permits.issued_documents.serve_signed``)."""
    root = Path(__file__).resolve().parents[2]
    callers = sorted(
        str(path.relative_to(root))
        for app in ("permits", "workflows", "monitoring", "agencies", "sop_portal")
        for path in (root / app).rglob("*.py")
        if "serve_private_file(" in path.read_text() and path.name != "storage.py"
    )
    assert callers == ["permits/access_log.py", "permits/issued_documents.py"]


def test_the_applicant_reads_the_same_list_through_the_api(application, cast):
    client_for(cast.budi).get(
        _staff_url("document", application.documents.get(requirement_code="ktp"))
    )
    url = f"/api/v1/applications/{application.pk}/document-accesses/"
    api = APIClient()
    api.force_authenticate(cast.ani)

    rows = api.get(url).json()

    assert len(rows) == 1
    assert rows[0]["role"] == "Front office" and rows[0]["agency"] == office_name()
    assert (rows[0]["kind"], rows[0]["file_name"], rows[0]["downloaded"]) == (
        "document",
        "ktp.pdf",
        True,
    )
    assert rows[0]["purpose"].startswith("2. ")
    assert "Budi" not in str(rows)
    api.force_authenticate(cast.budi)  # staff see the file, not the applicant's list
    assert api.get(url).status_code == 404
