"""A walk-in applicant at the counter, in a real browser (issue 12.1, 12.2, 12.4): the front
office registers them with their consent, enters the application with scanned documents and
submits it, prints the receipt with the access code; the file runs through both OPDs and the
head's signature; the front office records the handover and prints its receipt."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Consent, User
from permits.models import Application, Handover, IssuedDocument
from tests.browser.test_application_journeys import (  # noqa: F401  (fixtures)
    check_complete,
    decide_and_sign,
    open_task,
    pdf_file,
    people,
    recommend,
    sign_in,
)

pytestmark = pytest.mark.browser
NIK = "7471015505900003"


def pdf_text(page: Page, url: str) -> str:
    """The text of a PDF the signed-in page may fetch (its cookies), on one line."""
    if url.startswith("/"):
        url = page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + url
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def serve_walk_in(
    page: Page,
    live_server,
    tmp_path,
    service: str = "Izin Uji Dua OPD",
    details: dict[str, str] | None = None,
) -> Application:
    """Budi registers Wa Ode Sitti with her consent and enters ``service`` for her: the
    declared ``details`` (field code -> what he types or picks) and two scanned papers."""
    page.goto(live_server.url + "/petugas/loket/")
    form = page.locator("#register-form")
    form.locator("input[name=nik]").fill(NIK)
    form.locator("input[name=full_name]").fill("Wa Ode Sitti")
    form.locator("input[name=email]").fill("waode@contoh.id")
    form.locator("input[name=phone]").fill("081240001234")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#person-nik")).to_have_text(NIK)
    page.locator("select[name=service]").select_option(label=service)
    page.locator("#start-application").click()
    page.wait_for_load_state()
    for code, value in (details or {}).items():
        field = page.locator(f"#counter-documents [name=data_{code}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    files = page.locator("#counter-documents input[type=file]")
    files.nth(0).set_input_files(pdf_file(tmp_path, "ktp-scan.pdf"))
    files.nth(1).set_input_files(pdf_file(tmp_path, "denah-scan.pdf"))
    page.locator("#counter-submit").click()
    page.wait_for_load_state()
    application = Application.objects.get(service__name=service, applicant__nik=NIK)
    expect(page.locator("#tracking-number")).to_have_text(application.tracking_number)
    return application


def test_a_walk_in_is_served_at_the_counter_and_collects_the_permit(
    people,  # noqa: F811
    sign_in,  # noqa: F811
    live_server,
    tmp_path,
):
    budi = sign_in(people["budi"])
    application = serve_walk_in(budi, live_server, tmp_path)
    person = User.objects.get(nik=NIK)
    assert Consent.objects.get(user=person).recorded_by == people["budi"]
    assert application.entered_by == people["budi"]
    code = budi.locator("#access-code").inner_text().strip()
    receipt = pdf_text(budi, budi.locator("#print-receipt").get_attribute("href"))
    assert application.tracking_number in receipt and code in receipt
    assert "Wa Ode Sitti" in receipt and "Budi Front Office" in receipt

    check_complete(budi, live_server, application)
    checklist = pdf_text(budi, f"/petugas/permohonan/{application.pk}/cetak/checklist/")
    assert "KTP" in checklist and "Denah lokasi" in checklist
    recommend(sign_in(people["citra"]), live_server, application, "Hanya beroperasi siang hari")
    recommend(sign_in(people["gita"]), live_server, application)
    decide_and_sign(sign_in(people["dewi"]), live_server, application)
    issued = IssuedDocument.objects.get(application=application)

    open_task(budi, live_server, application)
    budi.locator("input[name=collected_by]").fill("La Ode Rahman")
    budi.locator("select[name=relation]").select_option("family")
    budi.locator("select[name=identity_type]").select_option("ktp")
    budi.locator("input[name=identity_number]").fill("7471010101800004")
    budi.locator("button[value=complete]").click()
    budi.wait_for_load_state()
    expect(budi.locator("#print-handover")).to_be_visible()
    handover = pdf_text(budi, budi.locator("#print-handover").get_attribute("href"))
    for expected in (issued.number, "La Ode Rahman", "7471010101800004", "Budi Front Office"):
        assert expected in handover
    assert Handover.objects.get(application=application).collected_by == "La Ode Rahman"
