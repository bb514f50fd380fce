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


@pytest.fixture
def signed_in(browser: Browser, browser_context_args, live_server):
    """A browser context signed in as ``user`` (the session cookie of a test client)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_as(user, locale="en-GB"):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**{**browser_context_args, "locale": locale})
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def test_a_staff_form_s_summary_takes_focus_in_english_and_leads_to_the_field(
    signed_in, live_server, transactional_db, eko
):
    page = signed_in(eko)
    page.goto(live_server.url + "/kelola/sop/baru/")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    links = summary.locator("a")
    assert links.count() >= 1
    target = links.last.get_attribute("href")
    links.last.click()
    expect(page.locator(target)).to_be_focused()
