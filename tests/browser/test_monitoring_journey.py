"""The head's monitoring journey in a real browser: from the menu to the SOP performance
dashboard, through a figure to the applications behind it, a CSV export, and a six-monthly
monitoring round (Tabel 7) opened and pre-filled. The browser asks for Indonesian, as the
office's staff do."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from agencies.models import Agency, Role
from agencies.seed import seed_agencies
from monitoring import stats
from monitoring.demo import seed_history
from monitoring.filters import Filters, today
from permits.seed.catalogue import seed_services
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.indonesian]

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def history(transactional_db):
    seed_agencies()
    seed_services()
    seed_history()
    return MembershipFactory(
        user__email="dewi@dpmptsp.go.id",
        user__full_name="Dewi Anggraini",
        user__password=PASSWORD,
        agency=Agency.objects.get(code="DPMPTSP"),
        role=Role.HEAD,
    ).user


def test_the_head_follows_a_figure_to_its_applications_and_opens_a_monitoring_round(
    browser: Browser, browser_context_args, live_server, history
):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill(history.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()

    page.get_by_role("link", name="Kinerja SOP").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kinerja SOP")
    end = today()
    received = stats.summary(Filters.from_params({}, now=end)).received
    assert received > 0
    card = page.locator(".monitor-card", has_text="Permohonan diterima")
    expect(card.locator(".monitor-card-value")).to_have_text(str(received))

    card.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(f"{received} permohonan, periode")
    expect(page.locator("main a", has_text="RIWAYAT-").first).to_be_visible()

    page.go_back()
    with page.expect_download() as download:
        page.locator("a", has_text="CSV").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Indonesian-locale CSV
    assert any(str(received) in row for row in rows)

    page.get_by_role("link", name="Monitoring enam bulanan (Tabel 7)").first.click()
    # The form proposes the current semester, which the demo history fills.
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main table")).to_contain_text("Izin Penyelenggaraan Angkutan")
    expect(page.locator("main")).to_contain_text("Usulan: ")
    context.close()
    assert csp_errors == []
