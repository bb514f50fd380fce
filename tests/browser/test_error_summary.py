"""The error summary in a real browser (issue 15 item 1): it takes focus when the page loads,
the title says "Kesalahan:", and its link moves focus to the field in error."""

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/pengaduan/", "/lacak/", "/pengaduan/lacak/"])
def test_the_summary_takes_focus_and_leads_to_the_field(
    browser: Browser, browser_context_args, live_server, transactional_db, path
):
    context = browser.new_context(**{**browser_context_args, "locale": "id-ID"})
    page = context.new_page()
    page.goto(live_server.url + path)
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Kesalahan: ")
    link = summary.locator("a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_focused()
    context.close()
