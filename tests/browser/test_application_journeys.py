"""Whole applications in a real browser: the applicant submits with uploads, the front office
returns one document, the applicant corrects it, two OPDs recommend in parallel, the head
decides and signs, the applicant downloads the document and its QR link says it is authentic;
once ending in a permit, once in a rejection."""

import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from agencies.models import Agency, Role
from agencies.seed import seed_agencies
from permits.interchange import import_document
from permits.models import Application, IssuedDocument
from tests.conftest import SIGNING_PASSPHRASE
from tests.factories import MembershipFactory, UserFactory
from tests.permits.lifecycle.kit import PDF, two_agency_document

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-123"
SERVICE = "UJI-DUA-OPD"


def journey_document() -> dict:
    """Two technical agencies in parallel, then the head decides and signs (no fee)."""
    document = two_agency_document()
    document["service"]["fee"] = {"amount": 0, "currency": "IDR", "basis": "Tidak dipungut biaya"}

    def step(no, symbol, activity, performer, action, **exits):
        return {
            "no": no,
            "symbol": symbol,
            "activity": activity,
            "performer": performer,
            "action": action,
            **exits,
        }

    document["sop"]["performers"] = [
        p for p in document["sop"]["performers"] if p["key"] not in ("bo", "kasir")
    ]
    document["sop"]["steps"] = [
        step(1, "terminator", "Mengajukan permohonan", "applicant", "submit", next=2),
        step(2, "decision", "Memeriksa kelengkapan", "fo", "check", on_yes=3, on_no=1),
        step(3, "process", "Memberikan rekomendasi teknis", "opd", "recommend", next=4),
        step(4, "decision", "Memutuskan permohonan", "head", "decide", on_yes=5, on_no=6),
        step(5, "process", "Menandatangani izin", "head", "issue_permit", next=7),
        step(6, "process", "Menandatangani surat penolakan", "head", "issue_rejection", next=7),
        step(7, "terminator", "Menyerahkan dokumen", "fo", "handover"),
    ]
    return document


@pytest.fixture
def people(transactional_db) -> dict:
    seed_agencies()
    import_document(journey_document(), publish=True)

    def staff(email, name, agency, role):
        return MembershipFactory(
            user__email=email,
            user__full_name=name,
            user__password=PASSWORD,
            agency=Agency.objects.get(code=agency),
            role=role,
        ).user

    return {
        "ani": UserFactory(email="ani@contoh.id", full_name="Ani Pemohon", password=PASSWORD),
        "budi": staff("budi@dpmptsp.go.id", "Budi Front Office", "DPMPTSP", Role.FRONT_OFFICE),
        "citra": staff("citra@dishub.go.id", "Citra OPD", "DISHUB", Role.TECHNICAL_OFFICER),
        "gita": staff("gita@dlh.go.id", "Gita OPD", "DLH", Role.TECHNICAL_OFFICER),
        "dewi": staff("dewi@dpmptsp.go.id", "Dewi Kepala", "DPMPTSP", Role.HEAD),
    }


@pytest.fixture
def sign_in(browser: Browser, browser_context_args, live_server):
    contexts, csp_errors = [], []

    def open_as(user) -> Page:
        context = browser.new_context(**browser_context_args, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        # An inline style or script would break under the strict CSP: none may slip in.
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(live_server.url + "/accounts/login/")
        page.locator("input[name=username]").fill(user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert csp_errors == []


def pdf_file(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(PDF)
    return path


def submit_application(page: Page, live_server, tmp_path) -> Application:
    page.goto(f"{live_server.url}/layanan/{SERVICE}/")
    page.locator(f"form[action$='/layanan/{SERVICE}/ajukan/'] button").click()
    files = page.locator("input[type=file]")
    files.nth(0).set_input_files(pdf_file(tmp_path, "ktp.pdf"))
    files.nth(1).set_input_files(pdf_file(tmp_path, "denah.pdf"))
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    application = Application.objects.get(service__code=SERVICE, status="in_progress")
    expect(page.locator("body")).to_contain_text(application.tracking_number)
    return application


def open_task(page: Page, live_server, application: Application) -> None:
    page.goto(live_server.url + "/petugas/")
    page.get_by_role("link", name=application.tracking_number).click()
    expect(page.locator("#tracking-number")).to_have_text(application.tracking_number)


def accept_every_document(page: Page) -> None:
    """No verdict is preselected: the officer judges each document."""
    for radio in page.locator("#action-form input[type=radio][value=accept]").all():
        radio.check()


def check_and_return(page: Page, live_server, application: Application) -> None:
    open_task(page, live_server, application)
    accept_every_document(page)
    page.locator("input[name=doc_denah][value=correct]").check()
    page.locator("input[name=reason_denah]").fill("Denah tidak terbaca, unggah ulang")
    page.locator("button[value=return]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def correct(page: Page, live_server, application: Application, tmp_path) -> None:
    page.goto(f"{live_server.url}/permohonan/{application.pk}/")
    correction = page.locator("#correction")
    expect(correction).to_contain_text("Denah tidak terbaca")
    correction.locator("input[type=file]").set_input_files(pdf_file(tmp_path, "denah-baru.pdf"))
    correction.locator("textarea").fill("Sudah diperbaiki")
    correction.locator("button[type=submit]").click()
    page.wait_for_load_state()


def check_complete(page: Page, live_server, application: Application) -> None:
    open_task(page, live_server, application)
    accept_every_document(page)
    page.locator("button[value=complete]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def recommend(page: Page, live_server, application: Application, conditions: str = "") -> None:
    open_task(page, live_server, application)
    verdict = "recommend_with_conditions" if conditions else "recommend"
    page.locator(f"input[name=verdict][value={verdict}]").check()
    if conditions:
        page.locator("textarea[name=conditions]").fill(conditions)
    page.locator("button[value=complete]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def decide_and_sign(page: Page, live_server, application: Application, reject: str = "") -> None:
    open_task(page, live_server, application)
    page.locator(f"input[name=verdict][value={'reject' if reject else 'approve'}]").check()
    if reject:
        page.locator("textarea[name=reasons]").fill(reject)
    page.locator("button[value=complete]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    open_task(page, live_server, application)
    page.locator("input[name=passphrase]").fill(SIGNING_PASSPHRASE)
    page.locator("button[value=complete]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def download_and_verify(page: Page, live_server, application: Application) -> str:
    page.goto(f"{live_server.url}/permohonan/{application.pk}/")
    with page.expect_download() as download:
        page.locator("a[href*='/dokumen-terbit/']").click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(p.extract_text() for p in reader.pages)
    issued = IssuedDocument.objects.get(application=application)
    assert issued.number in text and "Ani Pemohon" in text
    # The printed address may wrap after "verifikasi/" (at a slash, as the PDF breaks lines).
    found = re.search(r"(http\S+/verifikasi/)\s?(\S+?)/?\s", text.replace("\n", " "))
    url = found.group(1) + found.group(2)
    assert issued.verification_token in url
    page.goto(live_server.url + f"/verifikasi/{issued.verification_token}/")
    expect(page.locator("#verify-result")).to_have_class(re.compile("alert-success"))
    expect(page.locator("body")).to_contain_text(issued.number)
    return text


def test_an_application_runs_from_submission_to_a_verified_permit(
    people, sign_in, live_server, tmp_path
):
    ani = sign_in(people["ani"])
    application = submit_application(ani, live_server, tmp_path)
    budi = sign_in(people["budi"])
    check_and_return(budi, live_server, application)
    correct(ani, live_server, application, tmp_path)
    check_complete(budi, live_server, application)
    # Both technical agencies hold the file at once.
    citra, gita = sign_in(people["citra"]), sign_in(people["gita"])
    recommend(citra, live_server, application, "Hanya beroperasi siang hari")
    recommend(gita, live_server, application)
    dewi = sign_in(people["dewi"])
    decide_and_sign(dewi, live_server, application)
    application.refresh_from_db()
    assert application.status == Application.Status.ISSUED
    text = download_and_verify(ani, live_server, application)
    assert "Hanya beroperasi siang hari" in text


def test_an_application_ends_in_a_rejection_letter(people, sign_in, live_server, tmp_path):
    ani = sign_in(people["ani"])
    application = submit_application(ani, live_server, tmp_path)
    budi = sign_in(people["budi"])
    check_complete(budi, live_server, application)
    recommend(sign_in(people["citra"]), live_server, application)
    recommend(sign_in(people["gita"]), live_server, application)
    decide_and_sign(sign_in(people["dewi"]), live_server, application, "Lokasi di kawasan lindung")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    text = download_and_verify(ani, live_server, application)
    assert "Lokasi di kawasan lindung" in text
