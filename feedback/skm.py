"""The rules of the satisfaction survey (*Survei Kepuasan Masyarakat*, SKM) in one place:
the nine elements (*unsur*) with their questions and answer labels, the index arithmetic, the
grades and the required sample size. Everything else (forms, pages, API, statistics) reads
them from here.

Source: Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
Masyarakat Unit Penyelenggara Pelayanan Publik (still in force; MenPANRB guide 9/2024 adds
online surveys). The question wording and answer labels follow the annex's questionnaire
(*kuesioner*), as reproduced e.g. in https://pdfcoffee.com/permen-14-2017-okkk-pdf-free.html
and the regulation's text at
https://puskaandriana.blogspot.com/2023/03/permenpan-no-14-th-2017-tentang-survey.html.
The elements are kept in the order the regulation lists them (U1 … U9: persyaratan … sarana
dan prasarana); the annex's paper form asks about facilities before complaints handling.

Arithmetic (annex, "Pengolahan data"):

* NRR (*nilai rata-rata*) of an element = the mean of its answers (1–4);
* weighted NRR = NRR × weight, weight = 1/9 — the regulation writes it rounded, **0.111**;
* IKM (*indeks kepuasan masyarakat*) = Σ weighted NRR;
* converted IKM (*nilai interval konversi*) = IKM × 25;
* grade (*mutu pelayanan*) on the converted score rounded to 2 decimals:
  88.31–100 A Sangat Baik; 76.61–88.30 B Baik; 65.00–76.60 C Kurang Baik; 25.00–64.99 D Tidak
  Baik.

The **official** figure is the one with the regulation's weight 0.111 (it is what other offices
publish and what SKM reports are compared with). The exact weight 1/9 is computed too: with it
IKM is simply the mean of the nine NRRs. Pages show both when they differ.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# --- the nine elements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """One element (*unsur*) of the survey: its code (U1…U9), name, question and the labels of
    the answers 1–4. Questions and labels are the regulation's Indonesian wording, asked as
    they are in every language (the survey is an Indonesian instrument)."""

    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]

    @property
    def field(self) -> str:
        return self.code.lower()

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(i, f"{i}. {label}") for i, label in enumerate(self.labels, start=1)]


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U2",
        "Sistem, mekanisme dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Element(
        "U3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Element(
        "U4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Element(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Element(
        "U6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Element(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Element(
        "U8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    Element(
        "U9",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)
ELEMENT_FIELDS: tuple[str, ...] = tuple(e.field for e in ELEMENTS)
MIN_SCORE, MAX_SCORE = 1, 4

# --- respondent profile (optional, as on the regulation's form) ------------------------------

GENDERS = (("L", _("Male")), ("P", _("Female")))
EDUCATION = (
    ("sd", "SD"),
    ("smp", "SMP"),
    ("sma", "SMA"),
    ("d1_d3", "D1-D3"),
    ("s1", "D4/S1"),
    ("s2", "S2"),
    ("s3", "S3"),
)
OCCUPATIONS = (
    ("pns", "PNS"),
    ("tni", "TNI"),
    ("polri", "POLRI"),
    ("swasta", _("Private employee")),
    ("wirausaha", _("Entrepreneur")),
    ("lainnya", _("Other")),
)

# --- the index ---------------------------------------------------------------------------

#: The weight as the regulation writes it (1/9 rounded): the official computation.
OFFICIAL_WEIGHT = Decimal("0.111")
#: 1/9 to 28 significant digits (Decimal's default precision).
EXACT_WEIGHT = Decimal(1) / Decimal(9)
CONVERSION = Decimal(25)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str
    lowest: Decimal  # the lowest converted score (2 decimals) of the grade


#: Highest first; ``grade_for`` takes the first whose lower bound the score reaches.
GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)


def round2(value: Decimal) -> Decimal:
    """Rounded half up to 2 decimals, as the grade table reads scores."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def grade_for(converted: Decimal) -> Grade:
    """The grade of a converted score (0–100). The score is rounded to 2 decimals first, so
    88.305 counts as 88.31 (A) and 88.30 as B. A score under 25 cannot come from 1–4 answers;
    it is graded D."""
    score = round2(converted)
    for grade in GRADES:
        if score >= grade.lowest:
            return grade
    return GRADES[-1]


@dataclass(frozen=True)
class Index:
    """IKM computed with one weight."""

    weight: Decimal
    ikm: Decimal
    converted: Decimal  # rounded to 2 decimals
    grade: Grade


def index(nrr: list[Decimal], weight: Decimal) -> Index:
    ikm = sum((value * weight for value in nrr), Decimal(0))
    converted = round2(ikm * CONVERSION)
    return Index(weight=weight, ikm=ikm, converted=converted, grade=grade_for(converted))


@dataclass(frozen=True)
class SkmResult:
    """The survey's result over a set of responses. ``ikm``, ``converted``, ``grade`` and
    ``grade_label`` are the official figures (weight 0.111); ``exact`` holds the figures with
    the weight 1/9. ``nrr`` is None for every element when nobody answered."""

    respondents: int
    sums: tuple[int, ...]
    nrr: tuple[Decimal | None, ...]
    official: Index | None
    exact: Index | None
    required_sample: int | None = None
    population: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.respondents > 0

    @property
    def ikm(self) -> Decimal | None:
        return self.official.ikm if self.official else None

    @property
    def converted(self) -> Decimal | None:
        return self.official.converted if self.official else None

    @property
    def grade(self) -> str | None:
        return self.official.grade.letter if self.official else None

    @property
    def grade_label(self) -> str | None:
        return self.official.grade.label if self.official else None

    @property
    def weights_differ(self) -> bool:
        """Whether the exact weight gives another converted score or grade than 0.111."""
        return bool(
            self.official
            and self.exact
            and (
                self.official.converted != self.exact.converted
                or self.official.grade != self.exact.grade
            )
        )

    @property
    def sample_reached(self) -> bool | None:
        if self.required_sample is None:
            return None
        return self.respondents >= self.required_sample

    def elements(self) -> list[tuple[Element, Decimal | None, Decimal | None]]:
        """(element, NRR, weighted NRR with 0.111) per element, for tables."""
        return [
            (element, value, None if value is None else value * OFFICIAL_WEIGHT)
            for element, value in zip(ELEMENTS, self.nrr, strict=True)
        ]

    def with_population(self, population: int) -> SkmResult:
        return SkmResult(
            respondents=self.respondents,
            sums=self.sums,
            nrr=self.nrr,
            official=self.official,
            exact=self.exact,
            required_sample=required_sample(population),
            population=population,
            extra=self.extra,
        )


def result(respondents: int, sums: list[int] | tuple[int, ...]) -> SkmResult:
    """The result of ``respondents`` responses whose answers per element add up to ``sums``
    (one per element, in order). Decimal arithmetic throughout."""
    sums = tuple(int(s or 0) for s in sums)
    if len(sums) != len(ELEMENTS):
        raise ValueError("one sum per element")
    if not respondents:
        return SkmResult(0, sums, (None,) * len(ELEMENTS), None, None)
    nrr = [Decimal(s) / Decimal(respondents) for s in sums]
    return SkmResult(
        respondents=respondents,
        sums=sums,
        nrr=tuple(nrr),
        official=index(nrr, OFFICIAL_WEIGHT),
        exact=index(nrr, EXACT_WEIGHT),
    )


def result_of_answers(answers: list[list[int]]) -> SkmResult:
    """The result of individual responses (each a list of nine answers); for tests and
    small sets."""
    for row in answers:
        validate_answers(row)
    sums = [sum(row[i] for row in answers) for i in range(len(ELEMENTS))]
    return result(len(answers), sums)


def validate_answers(answers: list[int]) -> None:
    """Nine answers, each 1–4; raises ValueError otherwise."""
    if len(answers) != len(ELEMENTS):
        raise ValueError("nine answers expected")
    for value in answers:
        if not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
            raise ValueError("answers are 1 to 4")


# --- sample size ---------------------------------------------------------------------------

#: Krejcie, R. V. & Morgan, D. W. (1970), "Determining Sample Size for Research Activities",
#: *Educational and Psychological Measurement* 30, 607–610, Table 1 (population N → sample S;
#: 95 % confidence, 5 % margin, p = 0.5); the table Permenpan RB 14/2017's annex refers to for
#: the number of respondents. Checked against the paper's formula
#: S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)) within ±1 for every row.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
_POPULATIONS = [n for n, _s in KREJCIE_MORGAN]


def required_sample(population: int) -> int:
    """The number of respondents the table asks for a population (here: the applications
    finished for the service in the period). Between two rows the larger population's row is
    taken (never too few); under 10 everyone is asked; above the table, 384."""
    if population <= 0:
        return 0
    if population < KREJCIE_MORGAN[0][0]:
        return population
    i = bisect.bisect_left(_POPULATIONS, population)
    if i >= len(KREJCIE_MORGAN):
        return KREJCIE_MORGAN[-1][1]
    return KREJCIE_MORGAN[i][1]
