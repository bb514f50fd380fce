"""Issue 12's whole day at the office, in a real browser: a walk-in is served at the counter for
a company permit (NIB, company, location), the completeness checklist and the disposition
sheet print, two OPDs recommend from their queues, the back office decides, the cashier's
clock stands still while the applicant pays (the suite's clock moved two days, never the
wall's), the head previews and signs, the front office hands the permit over and prints the
receipt, and the permit says the company, the location, the validity, the conditions and the
signatory's NIP."""

from datetime import datetime, timedelta

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from agencies.models import Agency, Role
from permits.interchange import import_document
from permits.models import IssuedDocument
from sop_portal.formatting import format_day
from tests.browser.test_application_journeys import (  # noqa: F401  (fixtures)
    PASSWORD,
    accept_every_document,
    open_task,
    pdf_file,
    people,
    recommend,
    sign_in,
)
from tests.browser.test_counter_journey import pdf_text, serve_walk_in
from tests.conftest import SIGNING_PASSPHRASE, enrol_signer
from tests.factories import MembershipFactory
from tests.permits.lifecycle.kit import two_agency_document
from tests.permits.lifecycle.test_application_data import ANSWERS, COMPANY_FIELDS
from workflows import calendar, clocks
from workflows.models import PauseReason, Task

pytestmark = pytest.mark.browser

SERVICE = "Izin Usaha Industri (uji loket)"
NIP = "197001012000031001"
CONDITIONS = "Memasang rambu di lokasi"


@pytest.fixture
def office_day(people, signing_keystore):  # noqa: F811
    """The journey's cast (``people``, plus Fajar at the back office and Yusuf the cashier)
    and a company permit: two OPDs in parallel, a decision, a fee paid at the cashier's step
    (one working day), the head's signature, the handover; valid five years."""
    document = two_agency_document()
    document["service"] |= {
        "code": "UJI-IUI-LOKET",
        "name": SERVICE,
        "application_fields": COMPANY_FIELDS,
        "validity": {"value": 5, "unit": "years"},
    }
    document["sop"]["steps"][4]["duration"] = {"value": 1, "unit": "days"}
    import_document(document, publish=True)
    dpmptsp = Agency.objects.get(code="DPMPTSP")

    def staff(email, name, role):
        return MembershipFactory(
            user__email=email,
            user__full_name=name,
            user__password=PASSWORD,
            agency=dpmptsp,
            role=role,
        ).user

    people["dewi"].nip = NIP
    people["dewi"].save(update_fields=["nip"])
    enrol_signer(people["dewi"], signing_keystore)  # her certificate names her NIP
    return people | {
        "fajar": staff("fajar@dpmptsp.go.id", "Fajar Back Office", Role.BACK_OFFICE),
        "yusuf": staff("yusuf@dpmptsp.go.id", "Yusuf Kasir", Role.CASHIER),
    }


def link(page: Page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def paused_label() -> str:
    with translation.override("id"):  # the browser asks for Indonesian
        return str(clocks.STATE_LABELS[clocks.PAUSED])


def due_shown(page: Page) -> datetime:
    return datetime.fromisoformat(page.locator("#task-due time").get_attribute("datetime"))


def test_a_walk_in_company_permit_from_the_counter_to_the_handover(
    office_day,
    sign_in,  # noqa: F811
    live_server,
    tmp_path,
    _suite_clock,
):
    cast = office_day
    # 1. The counter: Wa Ode Sitti applies for her company, Budi types its details.
    details = {code: ANSWERS[code] for code in ("applicant_kind", "nib", "company_name")}
    details |= {c: ANSWERS[c] for c in ("company_address", "district", "village", "capacity")}
    budi = sign_in(cast["budi"])
    application = serve_walk_in(budi, live_server, tmp_path, service=SERVICE, details=details)
    assert application.data["nib"] == ANSWERS["nib"]
    number = application.tracking_number

    # 2. The completeness check, then its checklist and the disposition sheet, from the page.
    open_task(budi, live_server, application)
    checklist_url = link(budi, "#office-forms a[href$='/checklist/']")
    disposition_url = link(budi, "#office-forms a[href$='/disposition/']")
    accept_every_document(budi)
    budi.locator("button[value=complete]").click()
    expect(budi.locator(".alert-success")).to_be_visible()
    checklist = pdf_text(budi, checklist_url)
    for expected in (number, "Wa Ode Sitti", "KTP", "Denah lokasi"):
        assert expected in checklist, expected
    disposition = pdf_text(budi, disposition_url)
    assert number in disposition and "Wa Ode Sitti" in disposition

    # 3. Both OPDs work their queues; the back office decides.
    recommend(sign_in(cast["citra"]), live_server, application, CONDITIONS)
    recommend(sign_in(cast["gita"]), live_server, application)
    fajar = sign_in(cast["fajar"])
    open_task(fajar, live_server, application)
    fajar.locator("input[name=verdict][value=approve]").check()
    fajar.locator("button[value=complete]").click()
    expect(fajar.locator(".alert-success")).to_be_visible()

    # The cashier's step opens paused: the applicant's time to pay is not the office's.
    yusuf = sign_in(cast["yusuf"])
    open_task(yusuf, live_server, application)
    expect(yusuf.locator("#task-due .badge")).to_have_text(paused_label())
    due_before = due_shown(yusuf)
    pay = Task.objects.get(application=application, step__no=5)
    assert pay.pause_reason == PauseReason.APPLICANT_PAYMENT
    assert due_before == pay.due_at

    # Two days later she brings the bank's slip to the counter; Budi scans it.
    # A staff session lasts a working day: two days on, both sign in again (a session cache
    # that expires on the process's clock, as the embedded defaults' does, would sign them out).
    _suite_clock.shift(timedelta(days=2))
    budi = sign_in(cast["budi"])
    budi.goto(f"{live_server.url}/petugas/loket/permohonan/{application.pk}/")
    code = budi.locator("#payment-code").inner_text().strip()
    expect(budi.locator("#payment-amount")).to_have_text("Rp 150.000")
    budi.locator("#payment-form input[type=file]").set_input_files(pdf_file(tmp_path, "slip.pdf"))
    budi.locator("#upload-payment").click()
    expect(budi.locator(".alert-success")).to_be_visible()

    # The cashier's deadline moved by the office time she took to pay; the clock runs again.
    yusuf = sign_in(cast["yusuf"])
    open_task(yusuf, live_server, application)
    [pause] = clocks.pauses_of(Task.objects.get(pk=pay.pk))
    cal = calendar.current()
    assert due_shown(yusuf) == cal.shift(due_before, cal.elapsed(pause.started, pause.ended))
    assert due_shown(yusuf) - due_before >= timedelta(days=2)
    expect(yusuf.locator("#task-due .badge")).not_to_have_text(paused_label())
    yusuf.locator("input[name=payment_code]").fill(code)
    yusuf.locator("button[value=complete]").click()
    expect(yusuf.locator(".alert-success")).to_be_visible()

    # 4. The head sees the exact document, then signs it.
    dewi = sign_in(cast["dewi"])
    open_task(dewi, live_server, application)
    preview = pdf_text(dewi, link(dewi, "#issue-preview"))
    assert ANSWERS["company_name"] in preview and CONDITIONS in preview
    dewi.locator("input[name=passphrase]").fill(SIGNING_PASSPHRASE)
    dewi.locator("button[value=complete]").click()
    expect(dewi.locator(".alert-success")).to_be_visible()
    issued = IssuedDocument.objects.get(application=application)

    # 5. The handover at the counter, and its receipt.
    open_task(budi, live_server, application)
    permit_url = link(budi, "a[href*='/dokumen-terbit/'][href$='/unduh/']")
    budi.locator("input[name=collected_by]").fill("La Ode Rahman")
    budi.locator("select[name=relation]").select_option("family")
    budi.locator("select[name=identity_type]").select_option("ktp")
    budi.locator("input[name=identity_number]").fill("7471010101800004")
    budi.locator("button[value=complete]").click()
    expect(budi.locator("#print-handover")).to_be_visible()
    receipt = pdf_text(budi, link(budi, "#print-handover"))
    for expected in (issued.number, "La Ode Rahman", "7471010101800004", "Budi Front Office"):
        assert expected in receipt, expected

    # 6. What the permit says.
    permit = pdf_text(budi, permit_url)
    assert issued.valid_until is not None
    with translation.override("id"):
        valid_until = format_day(issued.valid_until)
    for expected in (
        ANSWERS["company_name"],
        ANSWERS["nib"],
        ANSWERS["company_address"],
        ANSWERS["district"],
        ANSWERS["village"],
        "Masa berlaku",
        valid_until,
        CONDITIONS,
        f"NIP {NIP}",
        "Dewi Kepala",
    ):
        assert expected in permit, expected
