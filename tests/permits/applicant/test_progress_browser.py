"""The step timeline and the service time on a 360 px phone in real headless Chromium: no
sideways scrolling, no CSP violation, every state said in words, and the public page too."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
from tests.factories import PASSWORD

from .progress_kit import at_inspection

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
SHOTS = None  # set to a folder path to keep screenshots while working on the design


def _watch_csp(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def _overflow(page: Page) -> int:
    page.wait_for_load_state("load")  # measured once the stylesheets are in
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_the_timeline_reads_well_on_a_phone(page: Page, live_server, transactional_db, cast, akdp):
    application, code = at_inspection(akdp, cast)
    csp = _watch_csp(page)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(cast.ani.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/login/'] button[type=submit]").click()
    page.goto(f"{live_server.url}/permohonan/{application.pk}/")

    expect(page.locator(".service-time")).to_be_visible()
    expect(page.locator(".step-timeline__item")).to_have_count(8)  # 4 started, 4 ahead
    current = page.locator(".step-timeline__item[aria-current=step]")
    expect(current.locator(".clock-badge")).to_have_text(re.compile(r"\w"))
    expect(current.locator(".step-timeline__pauses")).to_be_visible()
    assert _overflow(page) <= 0
    _shot(page, "detail")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lacak/?nomor={application.tracking_number}")
    page.locator("input[name=kode]").fill(code)
    page.locator("form[action$='/lacak/'] button[type=submit]").click()
    expect(page.locator(".step-timeline__item")).to_have_count(8)  # 4 started, 4 ahead
    expect(page.locator("#predicted-completion")).to_be_visible()
    assert _overflow(page) <= 0
    _shot(page, "track")
    assert csp == []
