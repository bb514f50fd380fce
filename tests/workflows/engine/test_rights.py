"""Only the performer of a step acts on it, and each transition leaves one audit row."""

import pytest

from permits import lifecycle
from permits.models import Application
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import open_tasks, pdf, submitted, the_task
from workflows import engine

pytestmark = pytest.mark.django_db


def test_it_refuses_an_officer_of_another_agency(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    dlh_task = the_task(application, 3, "DLH")
    with pytest.raises(engine.NotAllowed):
        engine.complete(dlh_task, cast.citra, data={"verdict": "recommend"})
    with pytest.raises(engine.NotAllowed):
        engine.claim(dlh_task, cast.citra)
    with pytest.raises(engine.NotAllowed):  # front office is not the technical team
        engine.complete(dlh_task, cast.budi, data={"verdict": "recommend"})
    dlh_task.refresh_from_db()
    assert dlh_task.is_open and not application.recommendations.exists()


def test_it_refuses_another_applicant(akdp, cast):
    application = submitted(akdp, cast.ani)
    with pytest.raises(engine.NotAllowed):
        lifecycle.withdraw(application, cast.bayu, "Bukan milik saya")
    engine.return_to_applicant(the_task(application, 2), cast.budi, "NIB salah", ["nib"])
    with pytest.raises(engine.NotAllowed):
        lifecycle.correct(application, cast.bayu, {"nib": pdf()}, "")
    with pytest.raises(engine.NotAllowed):
        engine.resume(application, cast.bayu)
    draft = lifecycle.create_draft(akdp, cast.ani)
    with pytest.raises(engine.NotAllowed):
        lifecycle.attach_document(draft, cast.bayu, "ktp", pdf())
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED


def test_it_lets_one_colleague_hold_a_task_at_a_time(akdp, cast):
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    task = the_task(application, 4, "DISHUB")
    engine.claim(task, cast.citra)
    with pytest.raises(engine.InvalidState):
        engine.claim(task, cast.cahya)
    with pytest.raises(engine.NotAllowed):
        engine.release(task, cast.cahya)
    engine.release(task, cast.citra)
    engine.claim(task, cast.cahya)
    engine.reassign(task, cast.cahya, cast.citra, "Cuti")
    task.refresh_from_db()
    assert task.assignee == cast.citra
    with pytest.raises(engine.NotAllowed):  # not in DISHUB
        engine.reassign(task, cast.citra, cast.gita)


def _audited(transition):
    before = AuditEntry.objects.count()
    transition()
    return AuditEntry.objects.count() - before


def test_it_writes_exactly_one_audit_row_per_transition(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    assert AuditEntry.objects.filter(action="permits.application.created").count() == 1
    assert _audited(lambda: lifecycle.attach_document(draft, cast.ani, "ktp", pdf())) == 1
    lifecycle.attach_document(draft, cast.ani, "denah", pdf())
    assert _audited(lambda: lifecycle.submit(draft, cast.ani)) == 1
    check = the_task(draft, 2)
    assert _audited(lambda: engine.claim(check, cast.budi)) == 1
    assert _audited(lambda: engine.release(check, cast.budi)) == 1
    assert _audited(lambda: engine.return_to_applicant(check, cast.budi, "Buram", ["ktp"])) == 1
    assert _audited(lambda: lifecycle.correct(draft, cast.ani, {"ktp": pdf()}, "Baru")) == 1
    assert _audited(lambda: engine.complete(the_task(draft, 2), cast.budi, outcome="yes")) == 1
    dishub, dlh = open_tasks(draft, 3)
    assert _audited(lambda: engine.reassign(dishub, cast.citra, cast.cahya)) == 1
    assert _audited(lambda: engine.complete(dishub, cast.cahya, data={"verdict": "recommend"})) == 1
    assert _audited(lambda: lifecycle.withdraw(draft, cast.ani, "Batal")) == 1

    entry = AuditEntry.objects.filter(action="workflows.application.returned").get()
    assert entry.actor == cast.budi and entry.reason == "Buram"
    assert entry.before["status"] == "in_progress" and entry.after["status"] == "returned"
