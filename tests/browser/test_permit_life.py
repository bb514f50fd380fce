"""An issued permit's life in a real browser: the head signs the permit with the local backend
(typing her passphrase), the applicant downloads it and it is checked offline (pyHanko: intact,
the signer's name); the applicant amends it, and the old permit's verification page names the
new one; the head revokes the new one, and its verification page says revoked, with the date."""

import re
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from permits.models import Application, IssuedDocument
from signing import validation
from sop_portal.formatting import format_day

from .test_application_journeys import (  # noqa: F401 - fixtures
    check_complete,
    decide_and_sign,
    people,
    recommend,
    sign_in,
    submit_application,
)

pytestmark = pytest.mark.browser


def run_to_signed_permit(pages, live_server, application) -> IssuedDocument:
    check_complete(pages["budi"], live_server, application)
    recommend(pages["citra"], live_server, application)
    recommend(pages["gita"], live_server, application)
    decide_and_sign(pages["dewi"], live_server, application)
    return IssuedDocument.objects.get(application=application)


def download(page: Page, live_server, application) -> bytes:
    page.goto(f"{live_server.url}/permohonan/{application.pk}/")
    with page.expect_download() as downloaded:
        page.locator("a[href*='/dokumen-terbit/'][href$='/unduh/']").click()
    with open(downloaded.value.path(), "rb") as handle:
        return handle.read()


def test_a_permit_is_signed_checked_offline_amended_and_revoked(
    people,  # noqa: F811
    sign_in,  # noqa: F811
    live_server,
    tmp_path,
):
    pages = {name: sign_in(user) for name, user in people.items()}
    ani = pages["ani"]
    application = submit_application(ani, live_server, tmp_path)
    permit = run_to_signed_permit(pages, live_server, application)

    # Downloaded and checked offline: the signature is intact and names the head.
    data = download(ani, live_server, application)
    report = validation.validate(data)
    assert report.signed and report.intact and report.trusted and report.whole_file
    assert report.signer == "Dewi Kepala"

    # The holder amends it: a pre-filled draft, submitted as it is, run through its SOP.
    ani.goto(f"{live_server.url}/permohonan/{application.pk}/")
    ani.locator("#start-amendment").click()
    ani.locator("button[name=submit]").click()
    ani.wait_for_load_state()
    amendment = Application.objects.get(previous_permit=permit)
    assert amendment.purpose == Application.Purpose.AMENDMENT and amendment.tracking_number
    new = run_to_signed_permit(pages, live_server, amendment)

    ani.goto(f"{live_server.url}/verifikasi/{permit.verification_token}/")
    expect(ani.locator("#verify-result")).to_have_attribute("data-standing", "replaced")
    expect(ani.locator("#replaced-by")).to_have_text(new.number)
    ani.locator("#replaced-by").click()
    expect(ani.locator("#verify-result")).to_have_attribute("data-standing", "valid")

    # The head revokes the new permit; its page says so at once, with the date.
    dewi = pages["dewi"]
    dewi.goto(f"{live_server.url}/petugas/dokumen-terbit/{new.pk}/status/")
    dewi.locator("select[name=change]").select_option("revoke")
    dewi.locator("textarea[name=reason]").fill("Izin dipindahtangankan tanpa persetujuan")
    dewi.locator("input[name=legal_basis]").fill("Pergub Sultra 12/2024 pasal 30")
    dewi.locator("input[name=effective_on]").fill("2026-12-02")
    dewi.locator("#change-standing").click()
    expect(dewi.locator("#standing")).to_contain_text(re.compile("Revoked|Dicabut"))

    ani.goto(f"{live_server.url}/verifikasi/{new.verification_token}/")
    result = ani.locator("#verify-result")
    expect(result).to_have_attribute("data-standing", "revoked")
    with translation.override("id"):
        expect(result).to_contain_text(format_day(date(2026, 12, 2)))
