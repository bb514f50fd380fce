"""The decree's Indonesian conventions (Permendagri 80/2015 as amended, Lampiran): its
numbering (KESATU…, Roman annex numerals, a/b/c items), its starting texts and the plural
wording of its annexes. Plain functions and data, no database."""

from __future__ import annotations

import re

ORDINALS = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def dictum_label(index: int) -> str:
    """KESATU, KEDUA, … for the dictum at ``index`` (0-based); past ten, "KE-11" and so on."""
    return ORDINALS[index] if index < len(ORDINALS) else f"KE-{index + 1}"


def roman(number: int) -> str:
    """Roman numerals for annex numbers (LAMPIRAN I, II, …)."""
    if number <= len(ROMAN):
        return ROMAN[number - 1]
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in values:
        while number >= value:
            out += numeral
            number -= value
    return out


def letter(index: int) -> str:
    """a, b, c … for the Menimbang items."""
    return chr(ord("a") + index) if index < 26 else f"a{index}"


DEFAULT_TITLE = (
    "Standar Operasional Prosedur Pelayanan Perizinan dan Nonperizinan pada Dinas Penanaman "
    "Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Tenggara"
)

# Gazette references only where they are well known; the rest cite the act alone, for the
# legal drafter to complete: nothing here is an invented number.
DEFAULT_MENGINGAT = [
    "Undang-Undang Nomor 13 Tahun 1964 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 1964 tentang Pembentukan Daerah Tingkat I Sulawesi Tengah dan "
    "Daerah Tingkat I Sulawesi Tenggara dengan mengubah Undang-Undang Nomor 47 Prp. Tahun 1960 "
    "tentang Pembentukan Daerah Tingkat I Sulawesi Utara-Tengah dan Daerah Tingkat I Sulawesi "
    "Selatan-Tenggara menjadi Undang-Undang;",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik "
    "Indonesia Tahun 2009 Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038);",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik "
    "Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587) "
    "sebagaimana telah beberapa kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 "
    "tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang "
    "Cipta Kerja menjadi Undang-Undang;",
    "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan (Lembaran Negara "
    "Republik Indonesia Tahun 2014 Nomor 292, Tambahan Lembaran Negara Republik Indonesia Nomor "
    "5601) sebagaimana telah diubah dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan "
    "Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
    "Undang-Undang;",
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara "
    "Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor "
    "6856);",
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
    "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan;",
]


def default_texts(title: str = DEFAULT_TITLE) -> dict:
    """The starting texts of a new decree, in Indonesian; every one stays editable."""
    return {
        "title": title,
        "menimbang": [
            "bahwa dalam rangka meningkatkan kualitas pelayanan publik di bidang perizinan dan "
            "nonperizinan yang cepat, mudah, transparan, pasti dan terjangkau, perlu disusun "
            "standar operasional prosedur pelayanan;",
            "bahwa standar operasional prosedur sebagaimana dimaksud dalam huruf a menjadi "
            "pedoman bagi Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dan perangkat "
            "daerah teknis dalam melaksanakan pelayanan perizinan dan nonperizinan;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu "
            f"menetapkan Keputusan Gubernur tentang {title};",
        ],
        "mengingat": list(DEFAULT_MENGINGAT),
        "dictums": [
            f"Menetapkan {title} sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak "
            "terpisahkan dari Keputusan Gubernur ini.",
            "Standar Operasional Prosedur sebagaimana dimaksud dalam Diktum KESATU menjadi "
            "pedoman dalam penyelenggaraan pelayanan perizinan dan nonperizinan oleh Dinas "
            "Penanaman Modal dan Pelayanan Terpadu Satu Pintu dan perangkat daerah teknis.",
            "Pelaksanaan Standar Operasional Prosedur dipantau paling sedikit sekali dalam 6 "
            "(enam) bulan dan dievaluasi secara berkala.",
            "Keputusan Gubernur ini mulai berlaku pada tanggal ditetapkan.",
        ],
        "tembusan": [
            "Menteri Dalam Negeri di Jakarta;",
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi di Jakarta;",
            "Ketua DPRD Provinsi Sulawesi Tenggara di Kendari;",
            "Inspektur Provinsi Sulawesi Tenggara di Kendari;",
            "Kepala Perangkat Daerah terkait lingkup Pemerintah Provinsi Sulawesi Tenggara.",
        ],
    }


def annex_wording(text: str, count: int) -> str:
    """The dictum's reference to its annexes in the plural when there are several: "sebagaimana
    tercantum dalam Lampiran I sampai dengan Lampiran XL" (Permendagri 80/2015 as amended,
    Lampiran: a decree with several annexes names them by Roman numeral). Stored texts keep
    the editable singular; the count is known only when printing."""
    if count < 2:
        return text
    several = (
        "Lampiran I dan Lampiran II"
        if count == 2
        else f"Lampiran I sampai dengan Lampiran {roman(count)}"
    )
    return re.sub(r"\bLampiran(?= yang merupakan)", several, text)
