"""A complaint in a real browser: an anonymous visitor files it, the complaints officer
answers it, and the visitor reads the reply on the public tracking page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from agencies.models import Agency, Role
from agencies.seed import seed_agencies
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-123"
REPLY = "Terima kasih, berkas Anda sudah kami teruskan ke Dinas Perhubungan."


@pytest.fixture
def rina(transactional_db):
    seed_agencies()
    return MembershipFactory(
        user__email="rina@dpmptsp.go.id",
        user__full_name="Rina Marlina",
        user__password=PASSWORD,
        agency=Agency.objects.get(code="DPMPTSP"),
        role=Role.COMPLAINTS_OFFICER,
    ).user


@pytest.fixture
def open_page(browser: Browser, browser_context_args, live_server):
    contexts, csp_errors = [], []

    def open_as(user=None) -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        if user is not None:
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


def test_an_anonymous_complaint_is_answered_and_the_reply_is_tracked(open_page, rina, live_server):
    visitor = open_page()
    visitor.goto(live_server.url + "/pengaduan/")
    visitor.select_option("#id_category", "service_time")
    visitor.fill("#id_text", "Izin trayek saya sudah tiga minggu belum ada kabar.")
    visitor.locator("#complaint-form button[type=submit]").click()
    number = visitor.locator("#complaint-number").inner_text().strip()
    code = visitor.locator("#complaint-code").inner_text().strip()
    assert number.startswith("ADU-") and len(code) == 8

    staff = open_page(rina)
    staff.goto(live_server.url + "/pantau/pengaduan/")
    staff.get_by_role("link", name=number).click()
    expect(staff.locator("#complaint-text")).to_contain_text("tiga minggu")
    staff.fill("#reply-form textarea", REPLY)
    expect(staff.locator("#reply-form input[type=checkbox]")).to_be_checked()
    staff.locator("#reply-form button[type=submit]").click()
    expect(staff.locator("#complaint-replies")).to_contain_text(REPLY)

    visitor.goto(live_server.url + "/pengaduan/lacak/")
    visitor.fill("#id_nomor", number)
    visitor.fill("#id_kode", code)
    visitor.locator("form[action$='/pengaduan/lacak/'] button[type=submit]").click()
    expect(visitor.locator("#complaint-replies")).to_contain_text(REPLY)
    expect(visitor.locator("#complaint-replies")).not_to_contain_text("Rina")
