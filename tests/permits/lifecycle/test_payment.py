"""Payment: the applicant's time to pay stops the office's clock; the bill shows the amount in
Rupiah, the payment code and the channels; the cashier confirms against the code."""

from datetime import datetime

import pytest
import time_machine

from permits import lifecycle
from permits.interchange import import_document
from permits.models import Payment, PaymentChannel, Service
from tests.permits.lifecycle.kit import pdf, submitted, the_task, two_agency_document
from workflows import calendar, clocks, engine
from workflows.models import PauseReason

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=calendar.ZONE)
THURSDAY_9 = datetime(2026, 3, 5, 9, 0, tzinfo=calendar.ZONE)


@pytest.fixture
def timed(cast) -> Service:
    """The two-agency service with a one-day cashier's step."""
    document = two_agency_document()
    document["sop"]["steps"][4]["duration"] = {"value": 1, "unit": "days"}
    version = import_document(document, publish=True)
    return Service.objects.get(sop=version.sop)


def _at_payment(service, cast):
    application = submitted(service, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 3, "DLH"), cast.gita, data={"verdict": "recommend"})
    engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "approve"})
    return application


def test_it_stops_the_cashiers_clock_until_the_applicant_pays(timed, cast):
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        application = _at_payment(timed, cast)
        pay = the_task(application, 5)
        assert pay.paused_at is not None and pay.pause_reason == PauseReason.APPLICANT_PAYMENT
        assert clocks.state(pay).status == clocks.PAUSED
        due_before = pay.due_at

        traveller.move_to(THURSDAY_9)  # three working days later the applicant pays
        lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))

        pay.refresh_from_db()
        assert pay.paused_at is None
        cal = calendar.current()
        waited = cal.elapsed(MONDAY_9, THURSDAY_9)
        assert pay.due_at == cal.shift(due_before, waited)
        assert clocks.state(pay).status == clocks.ON_TIME
        [pause] = clocks.pauses_of(pay)
        assert pause.reason == PauseReason.APPLICANT_PAYMENT and pause.ended == THURSDAY_9


def test_the_cashier_confirms_against_the_payment_code(two_opd, cast):
    application = _at_payment(two_opd, cast)
    pay = the_task(application, 5)
    payment = Payment.objects.get(task=pay)
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    with pytest.raises(engine.InvalidOutcome):
        engine.complete(pay, cast.yusuf)
    with pytest.raises(engine.InvalidOutcome):
        engine.complete(pay, cast.yusuf, data={"payment_code": "BL-000000-000000"})
    payment.refresh_from_db()
    assert payment.confirmed_at is None
    engine.complete(pay, cast.yusuf, data={"payment_code": f" {payment.billing_number.lower()} "})
    payment.refresh_from_db()
    assert payment.confirmed_by == cast.yusuf


def test_the_bill_shows_rupiah_the_code_and_the_channels(two_opd, cast, client):
    PaymentChannel.objects.create(
        name="Bank Sultra", account="0123456789 a.n. RKUD Prov. Sultra", position=1
    )
    PaymentChannel.objects.create(
        name="Kasir DPMPTSP", instructions="Loket 3, Senin–Jumat 08.00–15.00", position=2
    )
    PaymentChannel.objects.create(name="Kantor Pos", is_active=False)
    application = _at_payment(two_opd, cast)
    payment = Payment.objects.get(application=application)

    client.force_login(cast.ani)
    html = client.get(f"/permohonan/{application.pk}/").content.decode()

    assert "Rp 150.000" in html
    assert payment.billing_number in html
    assert html.index("Bank Sultra") < html.index("Kasir DPMPTSP")
    assert "0123456789 a.n. RKUD Prov. Sultra" in html and "Loket 3" in html
    assert "Kantor Pos" not in html


def test_the_demo_seed_adds_its_payment_channels_once(db):
    from permits.seed.catalogue import seed_payment_channels

    assert seed_payment_channels() == 2
    assert seed_payment_channels() == 0
    assert [c.name for c in PaymentChannel.objects.active()][1] == "Kasir DPMPTSP"
