"""An applicant's journey in real headless Chromium on a 360 px phone: sign in, apply from the
catalogue, upload, submit, keep the access code, and track the file anonymously."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.factories import PASSWORD
from tests.permits.lifecycle.kit import PDF

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _watch_csp(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    return errors


def _overflow(page: Page) -> int:
    # The URL changes when the navigation commits, before the stylesheets have loaded: measure
    # the laid-out page (a busy machine otherwise measures the unstyled one).
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def test_an_applicant_submits_on_a_phone_and_tracks_the_file(
    page: Page, browser: Browser, live_server, transactional_db, cast, two_opd, tmp_path
):
    csp = _watch_csp(page)
    page.set_viewport_size(PHONE)
    ktp, denah = tmp_path / "ktp.pdf", tmp_path / "denah.pdf"
    ktp.write_bytes(PDF)
    denah.write_bytes(PDF)

    page.goto(f"{live_server.url}/layanan/{two_opd.code}/")
    page.locator(".hero-actions a.btn").click()
    page.locator("input[name=username]").fill(cast.ani.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/login/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/layanan/{two_opd.code}/$"))

    page.locator(".hero-actions form button").click()
    expect(page).to_have_url(re.compile(r"/permohonan/\d+/isi/$"))
    assert _overflow(page) <= 0
    page.locator("input[name=doc_ktp]").set_input_files(str(ktp))
    page.locator("button[name=save]").click()
    page.screenshot(path="/tmp/helper_j-form.png", full_page=True)
    expect(page.locator("a[href*='/dokumen/']")).to_have_text("ktp.pdf")
    page.locator("input[name=doc_denah]").set_input_files(str(denah))
    page.locator("button[name=submit]").click()

    expect(page).to_have_url(re.compile(r"/permohonan/\d+/terkirim/$"))
    number = page.locator("#tracking-number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"SOP-\d{4}-\d{6}", number) and len(code) == 8
    with page.expect_download() as receipt:
        page.locator("main a[href$='/bukti/']").click()
    assert receipt.value.suggested_filename == f"bukti-pendaftaran-{number}.pdf"
    # The code is readable again after a reload (issue 12.4).
    page.reload()
    expect(page.locator("#access-code")).to_have_text(code)
    assert _overflow(page) <= 0

    page.goto(f"{live_server.url}/permohonan/")
    expect(page.locator("table.applications-table")).to_contain_text(number)
    page.screenshot(path="/tmp/helper_j-list.png", full_page=True)
    assert _overflow(page) <= 0

    visitor = browser.new_context(viewport=PHONE)
    public = visitor.new_page()
    public.goto(f"{live_server.url}/lacak/?nomor={number}")
    expect(public.locator("#id_nomor")).to_have_value(number)
    public.locator("#id_kode").fill("ZZZZZZZZ")
    public.locator("form[action$='/lacak/'] button").click()
    expect(public.locator("[data-error-summary]")).to_be_visible()
    public.locator("#id_kode").fill(code.lower())
    public.locator("form[action$='/lacak/'] button").click()
    expect(public.locator(".step-timeline")).to_contain_text("Memeriksa kelengkapan")
    expect(public.locator("main")).not_to_contain_text(cast.ani.full_name)
    public.screenshot(path="/tmp/helper_j-track.png", full_page=True)
    assert _overflow(public) <= 0
    visitor.close()
    assert csp == []
