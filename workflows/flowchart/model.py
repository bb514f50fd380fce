"""The flowchart's vocabulary: what the layout takes in (performers, steps, settings) and what
it gives back (columns, pages of rows, placements, edges, connectors), in CSS pixels."""

from __future__ import annotations

from dataclasses import dataclass, field

# CSS pixels (1/96 in). A4 is 210 × 297 mm.
MM = 96 / 25.4
PAGE_MARGIN_X = 10 * MM
PAGE_MARGIN_TOP = 10 * MM
PAGE_MARGIN_BOTTOM = 12 * MM
# An annex's identity page carries the full "LAMPIRAN … KEPUTUSAN GUBERNUR … NOMOR … TANGGAL …
# TENTANG …" block in its top margin (the title of a lampiran at the top right of its first page:
# UU 12/2011 Lampiran II, "F. Lampiran", which Permendagri 80/2015 as amended by Permendagri
# 120/2018 follows for regional decrees); its flowchart pages carry that block compact, on one
# line without TENTANG (still naming the decree, its number and date on every sheet), so that a
# typical 9-step SOP's flowchart is one page as an annex too (print.css, annex-flow pages).
ANNEX_MARGIN_TOP = 34 * MM
ANNEX_FLOW_MARGIN_TOP = 17 * MM

FONT_PX = 10.0  # 7.5 pt, the table text
LINE_PX = 12.5
CELL_PAD_Y = 4.0
CELL_PAD_X = 4.0
LIST_GAP = 2.0  # between the items of a Kelengkapan / Output list
BORDER = 1.0  # a collapsed 0.75 pt rule: half above, half below each row

# Header font sizes (px) tried in turn: the font steps down before a word would be split.
HEADER_SIZES = (10.0, 9.0, 8.0, 7.0)
HEADER_LINE = 1.15  # line height as a multiple of the font size
HEADER_PAD_X = 2.0
HEADER_PAD_Y = 3.0

LANE_GAP = 11.0
ROOM = 11.0  # free space above and below a symbol, where arrows bend and labels sit
CONNECTOR = 18.0  # the pentagon's width and height
CONNECTOR_ROOM = 26.0  # extra space for a pentagon above or below a symbol
ARROW_LEN = 7.0
ARROW_HALF = 3.6
BRIDGE = 4.0  # radius of the hop where one line must cross another
LABEL_SIZES = (8.0, 7.0, 6.0)
STROKE = "#111"
FONT_FAMILY = "Liberation Sans, Arial, DejaVu Sans, sans-serif"

TITLE_FIRST = 22.0  # the SOP's name above the first flowchart page
TITLE_NEXT = 18.0  # "… (lanjutan)" with the SOP number on the following pages
TOTAL_ROW = 36.0  # "Jumlah waktu" (and the applicant's time) under the last row


@dataclass(frozen=True)
class LayoutSettings:
    """The print layout: paper orientation, an optional cap on rows per page (0: as many as
    fit), whether pages carry the annex block."""

    rows_per_page: int = 0
    orientation: str = "landscape"  # or "portrait"
    annex: bool = False
    reserve_last: float = 0.0  # px kept free under the last page's table (a closing block)

    @property
    def page_width(self) -> float:
        return (297 if self.orientation == "landscape" else 210) * MM

    @property
    def page_height(self) -> float:
        return (210 if self.orientation == "landscape" else 297) * MM

    @property
    def body_width(self) -> float:
        return self.page_width - 2 * PAGE_MARGIN_X

    @property
    def body_height(self) -> float:
        """The room of a flowchart page."""
        top = ANNEX_FLOW_MARGIN_TOP if self.annex else PAGE_MARGIN_TOP
        return self.page_height - top - PAGE_MARGIN_BOTTOM

    @property
    def identity_body_height(self) -> float:
        """The room of the identity page (an annex's carries the full annex block)."""
        top = ANNEX_MARGIN_TOP if self.annex else PAGE_MARGIN_TOP
        return self.page_height - top - PAGE_MARGIN_BOTTOM


@dataclass(frozen=True)
class FlowPerformer:
    key: str
    title: str
    short: str = ""  # printed in the header when given; the title goes to the key

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class FlowStep:
    """What the layout needs of a step: its symbol, column(s), exits and its row's texts."""

    no: int
    symbol: str  # terminator | process | decision
    performer: str  # FlowPerformer.key
    activity: str = ""
    next_no: int | None = None
    yes_no: int | None = None
    no_no: int | None = None
    requirements: tuple[str, ...] = ()
    time: str = ""
    output: tuple[str, ...] = ()
    notes: str = ""
    also: tuple[str, ...] = ()  # further performers: the symbol spans their columns too

    @property
    def performers(self) -> tuple[str, ...]:
        return (self.performer, *[k for k in self.also if k != self.performer])


@dataclass(frozen=True)
class Columns:
    """Widths (px) of the table columns. The performer area holds the left lanes, one column
    per performer, then the right lanes."""

    no: float
    activity: float
    requirements: float
    time: float
    output: float
    notes: float
    performer: float
    performers: int
    lane_left: float
    lane_right: float
    header_size: float = HEADER_SIZES[0]

    @property
    def area(self) -> float:
        return self.lane_left + self.performer * self.performers + self.lane_right

    @property
    def total(self) -> float:
        """The table's width: with it given, WeasyPrint lays the table out at the planned
        column widths (``table-layout: fixed``) instead of measuring every cell's content."""
        return (
            self.no
            + self.activity
            + self.area
            + self.requirements
            + self.time
            + self.output
            + self.notes
        )

    def header_widths(self) -> list[float]:
        """Widths of the performer header cells: the outer ones take the lanes."""
        widths = [self.performer] * self.performers
        widths[0] += self.lane_left
        widths[-1] += self.lane_right
        return widths

    def center(self, index: int) -> float:
        return self.lane_left + (index + 0.5) * self.performer

    def rules(self) -> list[float]:
        return [self.lane_left + k * self.performer for k in range(1, self.performers)]

    @property
    def header_class(self) -> str:
        return f"hdr-{int(self.header_size)}"


@dataclass
class Placement:
    """Where a step's symbol is drawn: page, row on the page, column(s) and centre."""

    no: int
    page: int
    row: int
    column: int  # the main performer's column
    x: float
    y: float  # centre, in page coordinates of the performer area
    width: float
    height: float
    columns: tuple[int, ...] = ()


@dataclass
class Edge:
    src: int
    dst: int
    label: str = ""  # "Ya" / "Tidak" on decision exits
    kind: str = "down"  # down | lane | offpage
    side: str = ""  # right | left for lanes and side connectors
    lane: int | None = None
    connector: int | None = None


@dataclass
class Connector:
    """A numbered pentagon pair: the flow leaves ``src`` on ``src_page`` and comes back in at
    ``dst`` on ``dst_page``."""

    number: int
    src: int
    dst: int
    src_page: int
    dst_page: int


@dataclass
class Row:
    step: FlowStep
    height: float  # of the drawing; the table row adds its border
    top: float  # page coordinates
    svg: str = ""
    # "Bersambung ke konektor 1" / "Sambungan dari konektor 1": printed in Keterangan so the
    # reader (and a text search of the PDF) finds the other end of a pentagon.
    connector_notes: list[str] = field(default_factory=list)

    @property
    def notes(self) -> str:
        return "\n".join(filter(None, [self.step.notes, *self.connector_notes]))


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)


@dataclass
class Flowchart:
    columns: Columns
    performers: list[FlowPerformer]
    pages: list[Page]
    placements: dict[int, Placement]
    edges: list[Edge]
    connectors: list[Connector]
    header_height: float
    bridges: int = 0  # crossings that could not be avoided, drawn as a hop

    @property
    def key(self) -> list[FlowPerformer]:
        """Performers printed under a short label: the page's key spells them out."""
        return [p for p in self.performers if p.short and p.short != p.title]


@dataclass(frozen=True)
class Measured:
    """Heights WeasyPrint actually laid out, fed back when they differ from the plan: the
    drawing of a row is then redrawn to the row's real height."""

    rows: dict[int, float] = field(default_factory=dict)  # step no -> drawing height (px)
    header: float = 0.0
