"""The SOP document as PDF: identity page, flowchart table, page breaks with connectors."""

import re

import pytest

from tests.factories import ServiceFactory
from workflows.documents import sop_html, sop_pdf, tanggal
from workflows.models import DocumentSettings

from .conftest import build_long_sop, pdf_pages

pytestmark = pytest.mark.django_db


def test_it_prints_dates_in_indonesian():
    import datetime

    assert tanggal(datetime.date(2026, 2, 2)) == "2 Februari 2026"


def test_it_prints_the_identity_page_and_every_step(small_sop):
    pages = pdf_pages(sop_pdf(small_sop))
    text = "\n".join(pages)
    flat = " ".join(text.split())

    identity = " ".join(pages[0].split())
    for expected in (
        "PEMERINTAH PROVINSI SULAWESI TENGGARA",
        "Nomor SOP",
        "SOP/DISHUB-AKDP/1",
        "12 Januari 2026",
        "2 Februari 2026",
        "Ir. Contoh Pejabat",
        "NIP. 197001011990031001",
        "Dasar Hukum",
        # typed in short, printed in full with its gazette
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik "
        "Indonesia Tahun 2009 Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038)",
        "Pencatatan dan Pendataan",
    ):
        assert expected in identity
    for step in small_sop.steps.all():
        assert step.activity in flat
    for performer in small_sop.performers.all():
        assert performer.title in flat
    for duration in ("15 menit", "30 menit", "3 hari kerja", "1 hari kerja"):
        assert duration in flat
    # The office's time (the applicant's 15 minutes shown apart, not added).
    assert "Jumlah waktu pelayanan" in flat and "4 hari kerja + 30 menit" in flat
    assert "di luar waktu pemohon (15 menit)" in flat
    assert all(f"Halaman {i} dari {len(pages)}" in page for i, page in enumerate(pages, 1))


def test_it_repeats_the_header_and_pairs_connectors_across_page_breaks(db):
    DocumentSettings.objects.update_or_create(pk=1, defaults={"rows_per_page": 6})
    version = build_long_sop(ServiceFactory(code="PANJANG"), steps=14)

    pages = pdf_pages(sop_pdf(version))[1:]  # after the identity page

    assert len(pages) == 3
    for page in pages:
        assert "Kegiatan" in page and "Kelengkapan" in page and "Keterangan" in page
    seen_out = [set(re.findall(r"Bersambung ke\s+konektor (\d+)", p)) for p in pages]
    seen_in = [set(re.findall(r"Sambungan dari\s+konektor (\d+)", p)) for p in pages]
    assert seen_out[0] and seen_out[0] == seen_in[1]
    assert seen_out[1] and seen_out[1] == seen_in[2]
    assert not seen_in[0] and not seen_out[2]
    flat = " ".join(" ".join(pages).split())
    for no in range(1, 15):
        assert f"Kegiatan nomor {no} dilaksanakan" in flat


def test_it_previews_the_same_document_in_html(small_sop):
    html = sop_html(small_sop)

    assert "flow-svg" in html and "Nama SOP" in html
    assert small_sop.name.upper() in html
