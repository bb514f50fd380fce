"""The decree as the regional-decree rules lay it out (Permendagri 80/2015 as amended by
Permendagri 120/2018): plural annex wording, the signature with the last dictum, the Governor's
signature after the annexes, the certification of a SALINAN, a logo per document kind, full
legal-basis titles, and page numbers exact although the annexes are rendered apart."""

from datetime import date
from types import SimpleNamespace

import pytest

from tests.factories import ServiceFactory
from workflows import decrees
from workflows.documents import logo_src
from workflows.legal_basis import full_text

from .conftest import build_long_sop, pdf_pages


def test_short_citations_print_in_full_with_the_gazette_where_known():
    assert full_text("UU 25/2009 tentang Pelayanan Publik") == (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik "
        "Indonesia Tahun 2009 Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038)"
    )
    assert full_text("PP 28/2025 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko") == (
        "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
        "Berbasis Risiko"
    )
    assert full_text("UU 6/2023 tentang Penetapan Perppu 2/2022 tentang Cipta Kerja").startswith(
        "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
        "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja"
    )
    assert full_text("Peraturan Daerah tentang Retribusi") == "Peraturan Daerah tentang Retribusi"


def test_the_first_dictum_names_every_annex_when_there_are_several():
    text = decrees.default_texts()["dictums"][0]

    assert decrees.annex_wording(text, 1) == text
    assert "dalam Lampiran I dan Lampiran II yang merupakan" in decrees.annex_wording(text, 2)
    assert "dalam Lampiran I sampai dengan Lampiran XL yang" in decrees.annex_wording(text, 40)


class _Image:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    def __bool__(self) -> bool:
        return True

    def read(self) -> bytes:
        return self.data

    def close(self) -> None:
        pass


def test_the_decree_and_the_sop_each_carry_their_own_logo():
    doc = SimpleNamespace(logo=_Image("unit.png", b"unit"), decree_logo=_Image("emblem.png", b"E"))

    assert logo_src(doc) != logo_src(doc, "decree")
    assert logo_src(doc, "decree").endswith("RQ==")  # base64 of b"E"
    doc.decree_logo = None
    assert logo_src(doc, "decree") == logo_src(doc)


@pytest.mark.django_db
def test_a_salinan_of_a_decree_with_two_annexes_reads_as_the_rules_ask(eko, small_sop):
    decree = decrees.new_decree(
        year=2026,
        number="188.4/124",
        signed_on=date(2026, 3, 2),
        signatory_name="Nama Gubernur",
        copy_mark=True,
        by=eko,
    )
    long_sop = build_long_sop(ServiceFactory(code="PANJANG"), steps=14)
    decrees.set_annexes(decree, [small_sop, long_sop], by=eko)

    pages = [" ".join(p.split()) for p in pdf_pages(decrees.decree_pdf(decree))]

    # page numbers of one document, though the annexes were rendered apart
    for number, page in enumerate(pages, 1):
        assert f"Halaman {number} dari {len(pages)}" in page
    body = " ".join(pages)
    assert "sebagaimana tercantum dalam Lampiran I dan Lampiran II yang merupakan" in body
    # the last dictum and the signature on one page: the signature never stands alone
    signing = next(p for p in pages if "Ditetapkan di Kendari" in p)
    assert "mulai berlaku pada tanggal ditetapkan" in signing
    assert "Salinan sesuai dengan aslinya" in signing and "KEPALA BIRO HUKUM" in signing
    # the annexes end with the Governor's signature and, on a SALINAN, the certification
    last = pages[-1]
    assert "GUBERNUR SULAWESI TENGGARA, ttd. NAMA GUBERNUR" in last
    assert "Salinan sesuai dengan aslinya" in last
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in body
