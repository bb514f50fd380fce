"""Tabel 7: a semester's round pre-filled from the measured figures, the assessor's audited
edits with their initials, and the printed table."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from monitoring import assessment
from monitoring.models import Assessment, MonitoringEntry
from sop_portal.models import AuditEntry
from tests.factories import ServiceFactory, build_sop_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2026_2(world, dewi):
    ServiceFactory(code="UJI-SEPI", name="Izin Uji Sepi")
    build_sop_version(ServiceFactory(code="UJI-SEPI"))
    return assessment.open_round(2026, 2, dewi)


def test_opening_a_round_pre_fills_each_sop_from_its_figures(round_2026_2):
    entries = {e.service.code: e for e in round_2026_2.entries.all()}
    busy = entries["UJI-PANTAU"]
    # July–December: A5's step in July too, so 6 of 9 office steps on time (66.7 % < 80 %);
    # steps 2 (P90 44 min > 30 min) and 4 (P90 91 h > 7.5 h) run over their norms.
    assert busy.measured["on_time_rate"] == 66.7
    assert busy.measured["steps_over_norm"] == [
        "2. Memeriksa kelengkapan berkas",
        "4. Menandatangani keputusan izin",
    ]
    assert busy.suggested == busy.assessment == Assessment.NOT_WELL
    quiet = entries["UJI-SEPI"]
    assert quiet.measured["steps_measured"] == 0
    assert quiet.suggested == quiet.assessment == ""
    assert AuditEntry.objects.filter(action="monitoring.round.opened").count() == 1


def test_the_rule_says_runs_well_above_the_threshold(world):
    from monitoring import stats

    def step(on_time, measured, over=False):
        row = stats.StepRow(key=1, label="x", measured=measured, on_time=on_time, late=0)
        if over:
            row.norm, row.p90 = stats.Duration(1, "hours"), stats.timedelta(hours=2)
        return row

    assert assessment.suggest([step(8, 10)]).assessment == Assessment.RUNS_WELL  # 80 %
    assert assessment.suggest([step(7, 10)]).assessment == Assessment.NOT_WELL
    assert assessment.suggest([step(10, 10, over=True)]).assessment == Assessment.NOT_WELL


def test_a_semester_has_one_round(round_2026_2, dewi):
    with pytest.raises(ValidationError):
        assessment.open_round(2026, 2, dewi)


def test_only_monitors_open_or_assess(world, citra, round_2026_2):
    with pytest.raises(PermissionDenied):
        assessment.open_round(2027, 1, citra)
    entry = round_2026_2.entries.first()
    with pytest.raises(PermissionDenied):
        assessment.assess(entry, citra, assessment="runs_well", notes="", actions="")


def test_the_assessor_confirms_a_row_with_initials_and_an_audit_entry(client, round_2026_2, dewi):
    entry = round_2026_2.entries.get(service__code="UJI-PANTAU")
    client.force_login(dewi)
    response = client.post(
        f"/pantau/tabel-7/baris/{entry.pk}/",
        {
            "assessment": "not_well",
            "notes": "Penandatanganan sering terlambat.",
            "actions": "Menambah pejabat penanda tangan pengganti.",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.assessed_by == dewi and entry.assessed_at is not None
    audit = AuditEntry.objects.get(action="monitoring.entry.assessed")
    assert audit.before["notes"] == "" and audit.after["notes"] == entry.notes
    html = client.get(f"/pantau/tabel-7/{round_2026_2.pk}/").content.decode()
    assert "Dewi Kepala" in html and "Penandatanganan sering terlambat." in html


def test_the_table_prints_as_a_pdf_with_each_sop_and_its_assessment(client, round_2026_2, dewi):
    MonitoringEntry.objects.filter(service__code="UJI-SEPI").update(assessment="runs_well")
    client.force_login(dewi)
    response = client.get(f"/pantau/tabel-7/{round_2026_2.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Pelayanan Izin Uji Pantau" in text and "Pelayanan Izin Uji Sepi" in text
    assert "Runs well" in text and "Does not run well" in text
    assert "66.7% on time (6 of 9 steps)" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_the_round_is_opened_from_the_page(client, world, dewi):
    client.force_login(dewi)
    response = client.post("/pantau/tabel-7/", {"year": 2026, "semester": 2})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Pelayanan Izin Uji Pantau" in html and "Does not run well" in html
    again = client.post("/pantau/tabel-7/", {"year": 2026, "semester": 2})
    assert "already has a monitoring round" in again.content.decode()


def test_the_header_row_repeats_on_every_page(client, world, dewi):
    for i in range(30):
        build_sop_version(ServiceFactory(code=f"UJI-BANYAK-{i:02d}", name=f"Izin Banyak {i:02d}"))
    monitoring = assessment.open_round(2026, 2, dewi)
    client.force_login(dewi)
    reader = PdfReader(io.BytesIO(client.get(f"/pantau/tabel-7/{monitoring.pk}/pdf/").content))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        # The narrow column wraps its heading over two lines.
        assert "Assessor's initials" in " ".join(page.extract_text().split())
    assert "Pelayanan Izin Banyak 29" in reader.pages[-1].extract_text()
