"""The staff's second factor in a real browser, with OTP_REQUIRED_FOR_STAFF on: the first
sign-in enrols (the secret read from the page, the code computed here with django-otp's own
RFC 6238 function at the suite's clock) and lands on the inbox; the next sign-in asks for the
code; a recovery code works once."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect

from agencies.models import Role
from tests.factories import MembershipFactory, office

pytestmark = pytest.mark.browser

PASSWORD = "rahasia-uji-123"
INBOX = "/petugas/"


@pytest.fixture
def budi(transactional_db, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    return MembershipFactory(
        user__email="budi@dpmptsp.go.id",
        user__full_name="Budi Front Office",
        user__password=PASSWORD,
        agency=office(),
        role=Role.FRONT_OFFICE,
    ).user


@pytest.fixture
def new_page(browser: Browser, browser_context_args):
    contexts, csp_errors = [], []

    def make() -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert csp_errors == []


def password_step(page: Page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def code_step(page: Page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.wait_for_load_state()


def app_code(secret: str) -> str:
    """What an authenticator app holding ``secret`` shows now (30-second steps, 6 digits)."""
    return f"{totp(b32decode(secret), step=30, t0=0, digits=6, drift=0):06d}"


def test_staff_enrol_then_confirm_each_sign_in(new_page, live_server, budi, _suite_clock):
    # First sign-in: the password, then enrolment.
    page = new_page()
    password_step(page, live_server, budi)
    expect(page).to_have_url(f"{live_server.url}/accounts/faktor-kedua/pasang/?next=%2Fpetugas%2F")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    code_step(page, app_code(secret))

    expect(page.locator("#recovery-codes li")).to_have_count(10)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(set(codes)) == 10
    page.locator("#continue").click()
    page.wait_for_load_state()
    expect(page).to_have_url(live_server.url + INBOX)

    # Next sign-in (half a minute on: each code works once): the code is asked for.
    _suite_clock.shift(30)
    page = new_page()
    password_step(page, live_server, budi)
    expect(page).to_have_url(f"{live_server.url}/accounts/faktor-kedua/?next=%2Fpetugas%2F")
    page.goto(live_server.url + INBOX)  # nothing of staff's opens before the code
    expect(page).to_have_url(f"{live_server.url}/accounts/faktor-kedua/?next=%2Fpetugas%2F")
    code_step(page, app_code(secret))
    expect(page).to_have_url(live_server.url + INBOX)

    # A recovery code works once.
    for attempt in ("first", "second"):
        page = new_page()
        password_step(page, live_server, budi)
        expect(page.locator("input[name=code]")).to_be_visible()
        code_step(page, codes[0])
        if attempt == "first":
            expect(page).to_have_url(live_server.url + INBOX)
        else:
            expect(page.locator("input[name=code].is-invalid")).to_be_visible()
            assert page.url.startswith(live_server.url + "/accounts/faktor-kedua/")
