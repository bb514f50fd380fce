"""Legal bases (*dasar hukum*) as data: kind, number, year, title and, where it is well known,
the gazette (*Lembaran Negara* / *Tambahan Lembaran Negara*), and their full printed form.

The decree's *Mengingat* and an SOP's *Dasar Hukum* cite an act by its full name: "Undang-Undang
Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik Indonesia Tahun 2009
Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038)" — the drafting technique of
UU 12/2011 (Lampiran II, *dasar hukum*), which Permendagri 80/2015 (as amended by Permendagri
120/2018) applies to regional legal products. The SOP data keeps the short form editors type
("UU 25/2009 tentang Pelayanan Publik"); :func:`full_text` prints it in full. Gazette numbers
are given only for acts where they are well known; the rest print without, for the legal
drafter to complete: nothing here is an invented number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = {
    "UU": "Undang-Undang",
    "Perppu": "Peraturan Pemerintah Pengganti Undang-Undang",
    "PP": "Peraturan Pemerintah",
    "Perpres": "Peraturan Presiden",
    "Permenpan RB": "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Permendagri": "Peraturan Menteri Dalam Negeri",
    "Permen LHK": "Peraturan Menteri Lingkungan Hidup dan Kehutanan",
    "Permendikbud": "Peraturan Menteri Pendidikan dan Kebudayaan",
    "Permensos": "Peraturan Menteri Sosial",
}


@dataclass(frozen=True)
class LegalBasis:
    kind: str  # a key of KINDS
    number: str
    year: int
    title: str
    gazette: tuple[int, int, int] | None = None  # (year, LN number, TLN number)

    @property
    def name(self) -> str:
        return f"{KINDS[self.kind]} Nomor {self.number} Tahun {self.year}"

    def gazette_text(self) -> str:
        if not self.gazette:
            return ""
        year, ln, tln = self.gazette
        return (
            f"(Lembaran Negara Republik Indonesia Tahun {year} Nomor {ln}, Tambahan Lembaran "
            f"Negara Republik Indonesia Nomor {tln})"
        )

    def full(self) -> str:
        return " ".join(filter(None, [f"{self.name} tentang {self.title}", self.gazette_text()]))


#: The acts the demo SOPs and the decree cite whose gazette references are well known.
CATALOGUE = [
    LegalBasis("UU", "41", 1999, "Kehutanan", (1999, 167, 3888)),
    LegalBasis("UU", "13", 2003, "Ketenagakerjaan", (2003, 39, 4279)),
    LegalBasis("UU", "20", 2003, "Sistem Pendidikan Nasional", (2003, 78, 4301)),
    LegalBasis("UU", "22", 2009, "Lalu Lintas dan Angkutan Jalan", (2009, 96, 5025)),
    LegalBasis("UU", "25", 2009, "Pelayanan Publik", (2009, 112, 5038)),
    LegalBasis(
        "UU", "32", 2009, "Perlindungan dan Pengelolaan Lingkungan Hidup", (2009, 140, 5059)
    ),
    LegalBasis("UU", "23", 2014, "Pemerintahan Daerah", (2014, 244, 5587)),
    LegalBasis("UU", "30", 2014, "Administrasi Pemerintahan", (2014, 292, 5601)),
    LegalBasis(
        "UU",
        "6",
        2023,
        "Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang "
        "Cipta Kerja menjadi Undang-Undang",
        (2023, 41, 6856),
    ),
    LegalBasis(
        "Permenpan RB",
        "35",
        2012,
        "Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan",
    ),
]
_BY_KEY = {(b.kind, b.number, b.year): b for b in CATALOGUE}

_KIND = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
_CITATION = re.compile(rf"\b({_KIND}) (\d+(?:/[A-Z]+)?)/(\d{{4}})\b")


def lookup(kind: str, number: str, year: int) -> LegalBasis | None:
    return _BY_KEY.get((kind, number, int(year)))


def full_text(text: str) -> str:
    """``text`` with every short citation ("UU 25/2009", "Perppu 2/2022") written out; the
    gazette added after the title when the item cites a catalogued act and has none yet."""
    first = _CITATION.match(text.strip())
    expanded = _CITATION.sub(lambda m: f"{KINDS[m[1]]} Nomor {m[2]} Tahun {m[3]}", text.strip())
    # Abbreviations inside titles, as the documents write them in full.
    expanded = expanded.replace(" SOP ", " Standar Operasional Prosedur ")
    expanded = expanded.replace(" jo. ", " juncto ")
    if first and "Lembaran Negara" not in expanded:
        basis = lookup(first[1], first[2], int(first[3]))
        if basis and basis.gazette and " jo" not in text:
            expanded = f"{expanded.rstrip(';.')} {basis.gazette_text()}"
    return expanded
