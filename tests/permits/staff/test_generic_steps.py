"""A step without an action is a generic task: done with notes, or Yes/No for a decision; and
the task page exists for staff only."""

import pytest

from permits.interchange import import_document
from permits.models import Service
from tests.permits.lifecycle.kit import open_tasks, submitted, the_task, two_agency_document
from workflows.models import Task

from .helpers import check_all, client_for, post_task, task_url, texts, through_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def generic(cast) -> Service:
    document = two_agency_document()
    document["service"]["code"] = "UJI-GENERIK"
    document["sop"]["performers"] = [
        p for p in document["sop"]["performers"] if p["key"] in ("applicant", "fo", "opd")
    ]
    document["sop"]["steps"] = [
        {"no": 1, "symbol": "terminator", "activity": "Mengajukan", "performer": "applicant",
         "action": "submit", "next": 2},
        {"no": 2, "symbol": "decision", "activity": "Memeriksa", "performer": "fo",
         "action": "check", "on_yes": 3, "on_no": 1},
        {"no": 3, "symbol": "decision", "activity": "Menilai kelayakan", "performer": "opd",
         "on_yes": 4, "on_no": 1},
        {"no": 4, "symbol": "terminator", "activity": "Mengarsipkan", "performer": "fo"},
    ]  # fmt: skip
    version = import_document(document, publish=True)
    return Service.objects.get(sop=version.sop)


def test_it_needs_yes_or_no_for_a_decision_without_an_action(generic, cast):
    application = submitted(generic, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    page = client_for(cast.citra).get(task_url(task))
    assert page.context["kind"] == "generic" and "outcome" in page.context["form"].fields
    missing = post_task(cast.citra, task, {"notes": "layak"})
    assert missing.status_code == 400 and "layak" in missing.content.decode()
    assert post_task(cast.citra, task, {"notes": "layak", "outcome": "yes"}).status_code == 302
    assert (
        post_task(cast.gita, the_task(application, 3, "DLH"), {"outcome": "yes"}).status_code == 302
    )
    final = the_task(application, 4)
    assert post_task(cast.budi, final, {"notes": "arsip"}).status_code == 302
    assert open_tasks(application) == []
    assert Task.objects.get(pk=final.pk).notes == "arsip"


def test_it_shows_the_task_page_to_staff_only(generic, cast):
    application = submitted(generic, cast.ani)
    task = the_task(application, 2)
    assert client_for(cast.ani).get(task_url(task)).status_code == 404
    assert client_for(cast.gita).get(task_url(task)).status_code == 404
    assert client_for(cast.budi).get(task_url(task)).status_code == 200
    # Someone who is not a performer sees the file but no form, and cannot act.
    refused = post_task(cast.dewi, task, check_all(application))
    assert any("not a performer" in m for m in texts(refused))
