"""The engine runs real SOPs: the seeded DISHUB-AKDP one and a two-agency one with payment."""

from datetime import date, timedelta

import pytest

from permits import lifecycle
from permits.actions import schedule_inspection
from permits.models import Application, ApplicationDocument, IssuedDocument, Payment
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import HANDOVER, open_tasks, pdf, submitted, the_task
from workflows import engine
from workflows.models import StepEvent, Task

pytestmark = pytest.mark.django_db


def events(application, kind=None):
    qs = StepEvent.objects.filter(application=application).select_related("task__step")
    if kind:
        qs = qs.filter(kind=kind)
    return [(e.task.step.no, e.kind, e.reason) for e in qs.order_by("at", "id")]


def test_it_runs_the_seeded_akdp_sop_from_submit_to_issued_permit(akdp, cast):
    application = submitted(akdp, cast.ani)
    assert application.status == Application.Status.IN_PROGRESS
    assert application.tracking_number.startswith("SOP-")

    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar, notes="Berkas diteruskan")
    inspect = the_task(application, 4, "DISHUB")
    schedule_inspection(inspect, cast.citra, date.today())
    inspect.refresh_from_db()
    assert inspect.is_paused and inspect.pause_reason == "external_wait"
    engine.complete(inspect, cast.citra, data={"report": pdf("bap.pdf"), "findings": "Sesuai"})
    engine.complete(the_task(application, 5, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 6), cast.fajar, data={"verdict": "approve"})
    engine.complete(the_task(application, 7), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    engine.complete(the_task(application, 9), cast.budi, data=HANDOVER)

    application.refresh_from_db()
    assert application.status == Application.Status.ISSUED
    assert application.completed_at is not None
    assert open_tasks(application) == []
    permit = application.issued_documents.get()
    assert permit.kind == IssuedDocument.Kind.PERMIT
    assert permit.number.startswith("503/0001/DPMPTSP/")
    assert permit.holder_name == "Ani Pemohon"
    assert [(no, kind) for no, kind, _ in events(application) if no == 4] == [
        (4, "started"),
        (4, "paused"),
        (4, "resumed"),
        (4, "ended"),
    ]


def test_it_returns_the_file_to_the_applicant_and_resumes_on_correction(akdp, cast):
    application = submitted(akdp, cast.ani)
    check = the_task(application, 2)
    engine.return_to_applicant(check, cast.budi, "KTP buram", documents=["ktp"])

    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    assert application.return_reason == "KTP buram"
    ktp = application.documents.current().get(requirement_code="ktp")
    assert ktp.status == ApplicationDocument.Status.NEEDS_CORRECTION
    waiting = the_task(application, 1)
    assert waiting.assignee == cast.ani and waiting.pause_reason == "applicant_correction"

    with pytest.raises(engine.InvalidState):  # more than asked for
        lifecycle.correct(application, cast.ani, {"ktp": pdf(), "nib": pdf()}, "Diganti")
    with pytest.raises(engine.InvalidState):  # the file asked for must be replaced
        engine.resume(application, cast.ani)

    lifecycle.correct(application, cast.ani, {"ktp": pdf("ktp-baru.pdf")}, "KTP dipindai ulang")
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS
    ktp_versions = application.documents.filter(requirement_code="ktp").order_by("version")
    assert [(d.version, d.is_current) for d in ktp_versions] == [(1, False), (2, True)]
    second_check = the_task(application, 2)
    assert second_check.cycle == 2
    assert [e for e in events(application) if e[0] == 1][-3:] == [
        (1, "paused", "applicant_correction"),
        (1, "resumed", "applicant_correction"),
        (1, "ended", ""),
    ]
    engine.complete(second_check, cast.budi, outcome="yes")
    assert the_task(application, 3).role == "back_office"


def test_it_sends_the_step_to_both_agencies_and_joins_them(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    recommendations = open_tasks(application, 3)
    assert [t.agency.code for t in recommendations] == ["DISHUB", "DLH"]

    engine.complete(recommendations[0], cast.citra, data={"verdict": "recommend"})
    assert open_tasks(application, 4) == []  # DLH has not answered yet
    opened = engine.complete(
        recommendations[1],
        cast.gita,
        data={"verdict": "recommend_with_conditions", "conditions": "Pasang IPAL"},
    )
    assert [t.step.no for t in opened] == [4]
    assert application.recommendations.count() == 2

    engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "approve"})
    pay = the_task(application, 5)
    payment = Payment.objects.get(task=pay)
    assert payment.amount == 150000 and payment.billing_number
    with pytest.raises(engine.InvalidState):
        engine.complete(pay, cast.yusuf)  # no proof yet
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    engine.complete(pay, cast.yusuf, data={"payment_code": payment.billing_number})
    engine.complete(the_task(application, 6), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    engine.complete(the_task(application, 8), cast.budi, data=HANDOVER)
    application.refresh_from_db()
    assert application.status == Application.Status.ISSUED


def test_it_ends_in_a_rejection_letter_with_the_reasons(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    for task, who in zip(open_tasks(application, 3), (cast.citra, cast.gita), strict=True):
        engine.complete(task, who, data={"verdict": "not_recommend"})
    with pytest.raises(engine.InvalidOutcome):
        engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "reject"})
    engine.complete(
        the_task(application, 4),
        cast.fajar,
        data={"verdict": "reject", "reasons": "Tidak direkomendasikan OPD teknis"},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    engine.complete(the_task(application, 7), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    engine.complete(the_task(application, 8), cast.budi, data=HANDOVER)
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    letter = application.issued_documents.get()
    assert letter.kind == IssuedDocument.Kind.REJECTION
    assert letter.reasons == "Tidak direkomendasikan OPD teknis"
    assert not application.issued_documents.filter(kind=IssuedDocument.Kind.PERMIT).exists()


def test_it_withdraws_and_ends_the_open_tasks(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    with pytest.raises(engine.InvalidState):
        lifecycle.withdraw(application, cast.ani, "")
    lifecycle.withdraw(application, cast.ani, "Usaha batal dibuka")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert open_tasks(application) == []
    assert Task.objects.filter(application=application, status="cancelled").count() == 2
    with pytest.raises(engine.InvalidState):
        engine.complete(Task.objects.filter(application=application).last(), cast.gita)


def test_it_refuses_an_outcome_that_does_not_fit_the_step(akdp, cast):
    application = submitted(akdp, cast.ani)
    with pytest.raises(engine.InvalidOutcome):  # all documents accepted, yet "no"
        engine.complete(the_task(application, 2), cast.budi, outcome="no")
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    with pytest.raises(engine.InvalidOutcome):  # a process step has no Yes/No
        engine.complete(the_task(application, 3), cast.fajar, outcome="yes")
    engine.complete(the_task(application, 3), cast.fajar)
    inspect = the_task(application, 4, "DISHUB")
    with pytest.raises(engine.InvalidState, match="Schedule"):
        engine.complete(inspect, cast.citra, data={"report": pdf()})
    schedule_inspection(inspect, cast.citra, date.today() + timedelta(days=3))
    with pytest.raises(engine.InvalidState, match="after the visit"):
        engine.complete(inspect, cast.citra, data={"report": pdf()})


def test_it_says_who_completed_a_task_first(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    engine.complete(task, cast.budi, outcome="yes")
    with pytest.raises(engine.TaskAlreadyDone, match="Budi Front Office"):
        engine.complete(task, cast.budi, outcome="yes")
