"""An administrator builds a short SOP in the browser editor: sees the problem of a decision with
one exit next to its step, fixes it in place, submits it for review, approves and publishes it,
and downloads its PDF. Selectors use form actions and field names, not wording, so the journey
holds in any UI language."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from agencies.models import Role
from tests.factories import PASSWORD, MembershipFactory, office
from workflows.models import SopVersion

pytestmark = pytest.mark.browser


@pytest.fixture
def administrator(transactional_db):
    return MembershipFactory(
        user__email="eko@dpmptsp.go.id",
        user__full_name="Eko Administrator",
        agency=office(),
        role=Role.ADMINISTRATOR,
    ).user


@pytest.fixture
def reviewer(transactional_db):
    """A second administrator: who drafted a version does not approve it (four eyes)."""
    return MembershipFactory(
        user__email="fajar@dpmptsp.go.id",
        user__full_name="Fajar Peninjau",
        agency=office(),
        role=Role.ADMINISTRATOR,
    ).user


def _sign_in(page: Page, live_server, email: str = "eko@dpmptsp.go.id") -> None:
    page.goto(live_server.url + "/accounts/login/?next=/kelola/sop/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/kelola/sop/")


def _add_performer(page: Page, key: str, title: str, role: str) -> None:
    form = page.locator("form[action$='/pelaksana/']")
    if not form.is_visible():
        page.locator("#performers summary").click()
    form.locator("[name=performer-key]").fill(key)
    form.locator("[name=performer-title]").fill(title)
    form.locator("[name=performer-role]").select_option(role)
    form.locator("[name=performer-agency]").select_option("DPMPTSP")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#performer-{key}")).to_be_visible()


def _add_step(page: Page, no: int, symbol: str, activity: str, performer: str, **more: str):
    form = page.locator("form[action$='/langkah/']")
    if not form.is_visible():
        page.locator("#steps summary").click()
    form.locator("[name=step-symbol]").select_option(symbol)
    form.locator("[name=step-activity]").fill(activity)
    form.locator("[name=step-performer]").select_option(performer)
    form.locator("[name=step-duration_value]").fill(more.pop("value", "1"))
    form.locator("[name=step-duration_unit]").select_option(more.pop("unit", "hours"))
    for name, value in more.items():
        form.locator(f"[name=step-{name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#step-{no}")).to_contain_text(activity)


def test_an_administrator_builds_reviews_publishes_and_prints_an_sop(
    page: Page, live_server, administrator, reviewer
):
    with translation.override("id"):
        one_exit = gettext("A decision needs both on_yes and on_no.")
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server)

    page.goto(live_server.url + "/kelola/sop/baru/")
    page.fill("[name=code]", "DPMPTSP-SKET")
    page.fill("[name=name]", "Pelayanan Surat Keterangan")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/kelola/sop/DPMPTSP-SKET/v1/")

    _add_performer(page, "fo", "Petugas Front Office", "front_office")
    _add_performer(page, "head", "Kepala DPMPTSP", "head")
    _add_step(page, 1, "terminator", "Menerima permohonan", "fo", value="15", unit="minutes")
    _add_step(page, 2, "decision", "Memeriksa kelengkapan berkas", "fo", yes_no="3")
    _add_step(
        page, 3, "terminator", "Menandatangani surat keterangan", "head", value="1", unit="days"
    )

    problems = page.locator("#step-2-problems")
    expect(problems).to_contain_text(one_exit)
    expect(page.locator("#step-1-problems")).to_have_count(0)

    # Fix it in place (htmx swaps the row for its form, then for the saved row).
    page.locator("#step-2 a[href$='/langkah/2/']").click()
    page.locator("#step-2 [name=no_no]").fill("1")
    page.locator("#step-2 button[type=submit]").click()
    expect(page.locator("#step-2-problems")).to_have_count(0)
    expect(page.locator("#step-2")).to_contain_text("1")

    page.reload()
    expect(page.locator("#problems-summary")).to_have_count(0)
    page.locator("form[action$='/ajukan/'] button").click()
    approve = page.locator("form[action$='/terbitkan/']")
    expect(approve).to_be_visible()
    expect(page.locator("form[action$='/identitas/']")).to_have_count(0)  # editing is locked

    # The drafter is shown why she cannot approve; a second administrator approves.
    version_url = page.url
    page.context.clear_cookies()
    _sign_in(page, live_server, "fajar@dpmptsp.go.id")
    page.goto(version_url)
    approve = page.locator("form[action$='/terbitkan/']")
    approve.locator("[name=effective_on]").fill("2026-07-01")
    approve.locator("button[type=submit]").click()
    expect(page.locator("form[action$='/draf-baru/']")).to_be_visible()
    version = SopVersion.objects.get(sop__code="DPMPTSP-SKET")
    assert version.status == SopVersion.Status.PUBLISHED
    assert str(version.effective_on) == "2026-07-01"
    assert [s.activity for s in version.steps.order_by("no")][1] == "Memeriksa kelengkapan berkas"

    pdf_link = page.locator("#pdf-link")
    expect(pdf_link).to_be_visible()
    response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Memeriksa kelengkapan berkas" in text
