"""A visitor's journey through the public catalogue in a real browser: search, filter, read a
service's standard and SOP, switch language, on a desktop and on a 360 px phone."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Console errors from the Content Security Policy (an inline style or script slipped in)."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def horizontal_overflow(page: Page) -> int:
    page.wait_for_load_state("load")  # measured once the stylesheets are in
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def test_a_visitor_finds_a_service_and_reads_its_sop(
    page: Page, live_server, public_catalogue, csp_violations
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog Layanan")
    expect(page.locator("#results-count")).to_contain_text("8 layanan ditemukan")
    page.screenshot(path="/tmp/catalogue.png", full_page=True, caret="initial")

    # Typing narrows the results in place and gives the address bar a shareable address.
    page.get_by_label("Cari", exact=True).fill("rumah sakit")
    expect(page.locator("#results-count")).to_contain_text("2 layanan ditemukan")
    expect(page).to_have_url(re.compile(r"/\?q=rumah\+sakit$"))

    page.get_by_label("Jenis").select_option(label="Non Perizinan")
    expect(page.locator("#results-count")).to_contain_text("1 layanan ditemukan")
    expect(page).to_have_url(re.compile(r"/\?q=rumah\+sakit&kind=non_permit$"))
    expect(page.get_by_role("link", name="Jenis: Non Perizinan")).to_be_visible()

    page.get_by_role("link", name="Rekomendasi Izin Mendirikan Rumah Sakit").click()

    expect(page).to_have_url(re.compile(r"/layanan/DINKES-REK-RS/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rekomendasi Izin Mendirikan Rumah Sakit"
    )
    expect(page.get_by_role("heading", name="Standar Pelayanan")).to_be_visible()
    steps = page.locator("table.sop-table tbody tr")
    expect(steps).to_have_count(4)
    expect(steps.nth(1)).to_contain_text("Memeriksa kelengkapan berkas")
    expect(steps.nth(1)).to_contain_text("Petugas Front Office")
    expect(steps.nth(1)).to_contain_text("30 menit")
    expect(steps.nth(1).get_by_role("link", name="Ya → langkah 3")).to_be_visible()
    expect(steps.nth(2)).to_contain_text("Dinas Kesehatan")
    page.screenshot(path="/tmp/service.png", full_page=True, caret="initial")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/layanan/DINKES-REK-RS/$"))
    expect(page.get_by_role("heading", name="Service standard")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Activity")).to_be_visible()
    expect(steps.nth(1)).to_contain_text("30 minutes")
    expect(steps.nth(1).get_by_role("link", name="Yes → step 3")).to_be_visible()
    page.screenshot(path="/tmp/service-en.png", full_page=True, caret="initial")

    assert csp_violations == []


def test_the_catalogue_fits_a_phone_and_its_filters_work_there(
    page: Page, live_server, public_catalogue, csp_violations
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")

    assert horizontal_overflow(page) <= 0
    page.screenshot(path="/tmp/catalogue-360.png", full_page=True, caret="initial")

    sector = page.get_by_label("Sektor")
    sector.scroll_into_view_if_needed()
    expect(sector).to_be_visible()
    sector.select_option(label="Perhubungan")
    expect(page.locator("#results-count")).to_contain_text("2 layanan ditemukan")
    assert horizontal_overflow(page) <= 0

    page.get_by_role("link", name=re.compile("Angkutan Antar Kota")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angkutan Antar Kota")
    assert horizontal_overflow(page) <= 0
    page.screenshot(path="/tmp/service-360.png", full_page=True, caret="initial")

    assert csp_violations == []


def test_the_catalogue_works_without_javascript(browser, live_server, public_catalogue):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_label("Cari", exact=True).fill("izin")
        page.get_by_label("Jenis").select_option(label="Perizinan")
        page.get_by_role("button", name="Cari").click()

        expect(page).to_have_url(re.compile(r"q=izin&.*kind=permit"))
        expect(page.locator("#results-count")).to_contain_text("4 layanan ditemukan")
        expect(page.get_by_label("Jenis")).to_have_value("permit")
    finally:
        context.close()


def test_the_back_button_returns_to_the_filtered_list(page: Page, live_server, public_catalogue):
    page.goto(live_server.url + "/")
    page.get_by_label("Sektor").select_option(label="Kesehatan")
    expect(page.locator("#results-count")).to_contain_text("2 layanan ditemukan")
    page.get_by_label("Jenis").select_option(label="Perizinan")
    expect(page.locator("#results-count")).to_contain_text("1 layanan ditemukan")

    page.go_back()
    expect(page.locator("#results-count")).to_contain_text("2 layanan ditemukan")
    expect(page.get_by_label("Jenis")).to_have_value("")

    page.get_by_role("link", name="Izin Operasional Rumah Sakit Kelas B").click()
    expect(page).to_have_url(re.compile(r"/layanan/DINKES-RS-B/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?sector=Kesehatan$"))
    expect(page.locator("#results-count")).to_contain_text("2 layanan ditemukan")
    expect(page.get_by_label("Sektor")).to_have_value("Kesehatan")
