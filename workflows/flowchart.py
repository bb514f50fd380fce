"""Layout of an SOP flowchart (Permenpan RB 35/2012): columns, rows, pages, symbols, arrows,
side lanes and off-page connectors, drawn as one vector SVG per table row.

A pure function of the steps, the performers and :class:`LayoutSettings`: no database, no
template. The document table puts each row's SVG in a cell spanning the performer columns; the
row is exactly as tall as its SVG, so lines that leave one row's SVG at its bottom edge go on in
the next row's SVG at the same x and the drawing reads as one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

# CSS pixels (1/96 in). A4 is 210 × 297 mm.
MM = 96 / 25.4
PAGE_MARGIN_X = 10 * MM
PAGE_MARGIN_TOP = 12 * MM
PAGE_MARGIN_BOTTOM = 14 * MM
# Annex pages carry the "LAMPIRAN KEPUTUSAN …" block in their top margin.
ANNEX_MARGIN_TOP = 36 * MM

FONT_PX = 10.0  # 7.5 pt, the table text
LINE_PX = 12.5
CHAR_PX = FONT_PX * 0.5  # a generous average glyph width, so rows are never too short
CELL_PAD_Y = 4.0
CELL_PAD_X = 4.0

LANE_GAP = 11.0
ROOM = 16.0  # free space above and below a symbol, where arrows bend
CONNECTOR = 18.0  # the pentagon's width and height
CONNECTOR_ROOM = 30.0  # extra space for a pentagon above or below a symbol
ARROW_LEN = 7.0
ARROW_HALF = 3.6
STROKE = "#111"


@dataclass(frozen=True)
class LayoutSettings:
    """The print layout: paper orientation, rows per page, whether pages carry the annex
    block; the column widths follow from these."""

    rows_per_page: int = 8
    orientation: str = "landscape"  # or "portrait"
    annex: bool = False

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
        top = ANNEX_MARGIN_TOP if self.annex else PAGE_MARGIN_TOP
        return self.page_height - top - PAGE_MARGIN_BOTTOM


@dataclass(frozen=True)
class FlowPerformer:
    key: str
    title: str


@dataclass(frozen=True)
class FlowStep:
    """What the layout needs of a step: its symbol, column, exits and the texts of its row."""

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

    @property
    def area(self) -> float:
        return self.lane_left + self.performer * self.performers + self.lane_right

    def header_widths(self) -> list[float]:
        """Widths of the performer header cells: the outer ones take the lanes."""
        widths = [self.performer] * self.performers
        widths[0] += self.lane_left
        widths[-1] += self.lane_right
        return widths

    def center(self, index: int) -> float:
        return self.lane_left + (index + 0.5) * self.performer


@dataclass
class Placement:
    """Where a step's symbol is drawn: page, row on the page, column and centre."""

    no: int
    page: int
    row: int
    column: int
    x: float
    y: float  # centre, in page coordinates of the performer area
    width: float
    height: float


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
    height: float
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


# --- text metrics --------------------------------------------------------------------------


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a cell ``width`` px wide (word wrap, generous)."""
    chars = max(4, int((width - 2 * CELL_PAD_X) / CHAR_PX))
    lines = 0
    for paragraph in (text or "").splitlines() or [""]:
        words, current = paragraph.split(), 0
        count = 1
        for word in words:
            length = len(word)
            while length > chars:  # a word longer than the line breaks anywhere
                count += 1 if current else 0
                length -= chars
                current = 0
            if current and current + 1 + length > chars:
                count += 1
                current = length
            else:
                current += (1 if current else 0) + length
        lines += count
    return lines


def _list_lines(items, width: float) -> int:
    return sum(text_lines(item, width) for item in items) if items else 1


def text_height(step: FlowStep, columns: Columns) -> float:
    lines = max(
        text_lines(step.activity, columns.activity),
        _list_lines(step.requirements, columns.requirements),
        text_lines(step.time, columns.time),
        _list_lines(step.output, columns.output),
        text_lines(step.notes, columns.notes),
    )
    return lines * LINE_PX + 2 * CELL_PAD_Y + 2


# --- columns -------------------------------------------------------------------------------


def plan_columns(performers: int, lanes_left: int, lanes_right: int, s: LayoutSettings) -> Columns:
    """Fixed widths for No, Kegiatan and the Mutu Baku columns (never squeezed below their
    minimum); the rest goes to the performers. With many performers Keterangan and Kegiatan
    give way first, down to a floor."""
    scale = s.body_width / (277 * MM)
    fixed = {
        "no": 26.0,
        "activity": 176.0 * scale,
        "requirements": 150.0 * scale,
        "time": 54.0,
        "output": 132.0 * scale,
        "notes": 104.0 * scale,
    }
    floors = {"notes": 70.0, "activity": 120.0}
    performers = max(1, performers)
    lane_left, lane_right = lanes_left * LANE_GAP, lanes_right * LANE_GAP
    min_performer = 46.0
    area = s.body_width - sum(fixed.values())
    need = performers * min_performer + lane_left + lane_right
    for key in ("notes", "activity"):
        if area >= need:
            break
        give = min(need - area, fixed[key] - floors[key])
        fixed[key] -= give
        area += give
    performer = max(min_performer, (area - lane_left - lane_right) / performers)
    return Columns(
        performer=performer,
        performers=performers,
        lane_left=lane_left,
        lane_right=lane_right,
        **fixed,
    )


def header_height(performers: list[FlowPerformer], columns: Columns) -> float:
    """The two header rows, with performer titles wrapped in their narrow columns."""
    lines = max([text_lines(p.title, columns.performer) for p in performers] or [1])
    return 18 + max(2, lines) * 11 + 8


# --- geometry ------------------------------------------------------------------------------


def _symbol_size(symbol: str, columns: Columns) -> tuple[float, float]:
    if symbol == "decision":
        return min(columns.performer - 8, 64.0), 38.0
    return min(columns.performer - 12, 76.0), 26.0


def _exits(step: FlowStep) -> list[tuple[int, str]]:
    if step.symbol == "decision":
        exits = [(step.yes_no, "Ya"), (step.no_no, "Tidak")]
    else:
        exits = [(step.next_no, "")]
    return [(dst, label) for dst, label in exits if dst is not None]


class _Svg:
    """Elements in page coordinates, each with its vertical extent, cut into rows later."""

    def __init__(self) -> None:
        self.items: list[tuple[float, float, str]] = []

    def add(self, y0: float, y1: float, markup: str) -> None:
        self.items.append((min(y0, y1), max(y0, y1), markup))

    def line(self, points: list[tuple[float, float]]) -> None:
        d = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
        ys = [y for _, y in points]
        self.add(
            min(ys) - 1,
            max(ys) + 1,
            f'<polyline points="{d}" fill="none" stroke="{STROKE}" stroke-width="1.1" '
            f'stroke-linejoin="miter"/>',
        )

    def arrow(self, tip: tuple[float, float], direction: str) -> None:
        x, y = tip
        dx, dy = {"down": (0, -1), "up": (0, 1), "left": (1, 0), "right": (-1, 0)}[direction]
        bx, by = x + dx * ARROW_LEN, y + dy * ARROW_LEN
        px, py = -dy * ARROW_HALF, dx * ARROW_HALF
        pts = f"{x:.2f},{y:.2f} {bx + px:.2f},{by + py:.2f} {bx - px:.2f},{by - py:.2f}"
        self.add(y - ARROW_LEN, y + ARROW_LEN, f'<polygon points="{pts}" fill="{STROKE}"/>')

    def text(self, x: float, y: float, label: str, anchor: str = "start", size: float = 8) -> None:
        self.add(
            y - size,
            y + 2,
            f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-family="Liberation Sans, Arial, DejaVu Sans, sans-serif" '
            f'fill="{STROKE}">{escape(label)}</text>',
        )

    def symbol(self, p: Placement, symbol: str) -> None:
        x, y, w, h = p.x, p.y, p.width, p.height
        style = f'fill="#fff" stroke="{STROKE}" stroke-width="1.3"'
        if symbol == "decision":
            pts = f"{x:.2f},{y - h / 2:.2f} {x + w / 2:.2f},{y:.2f} {x:.2f},{y + h / 2:.2f} "
            pts += f"{x - w / 2:.2f},{y:.2f}"
            markup = f'<polygon points="{pts}" {style}/>'
        else:
            r = h / 2 if symbol == "terminator" else 0
            markup = (
                f'<rect x="{x - w / 2:.2f}" y="{y - h / 2:.2f}" width="{w:.2f}" '
                f'height="{h:.2f}" rx="{r:.2f}" {style}/>'
            )
        self.add(y - h / 2, y + h / 2, markup)

    def pentagon(self, x: float, y: float, number: int) -> None:
        c = CONNECTOR / 2
        pts = f"{x - c:.2f},{y - c:.2f} {x + c:.2f},{y - c:.2f} {x + c:.2f},{y + c * 0.3:.2f} "
        pts += f"{x:.2f},{y + c:.2f} {x - c:.2f},{y + c * 0.3:.2f}"
        self.add(
            y - c,
            y + c,
            f'<polygon points="{pts}" fill="#fff" stroke="{STROKE}" stroke-width="1.2"/>',
        )
        self.text(x, y + 2.5, str(number), anchor="middle", size=9)

    def cut(self, top: float, height: float, width: float, separators: list[float]) -> str:
        """The SVG of one row: the elements that reach into it, seen through its window."""
        bottom = top + height
        body = [
            f'<line x1="{x:.2f}" y1="{top:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" '
            f'stroke="#777" stroke-width="0.6"/>'
            for x in separators
        ]
        body += [m for y0, y1, m in self.items if y1 >= top and y0 <= bottom]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-svg" width="{width:.2f}" '
            f'height="{height:.2f}" viewBox="0 {top:.2f} {width:.2f} {height:.2f}" '
            f'preserveAspectRatio="none" role="presentation">{"".join(body)}</svg>'
        )


# --- layout --------------------------------------------------------------------------------


def _paginate(
    steps: list[FlowStep], columns: Columns, performers: list[FlowPerformer], s: LayoutSettings
) -> list[list[FlowStep]]:
    """Rows per page: at most ``rows_per_page``, and never more than fit the page height (a row
    at the page's end keeps room for an off-page connector). The first page also carries the
    SOP's title line."""
    capacity_first = s.body_height - header_height(performers, columns) - 34
    capacity = s.body_height - header_height(performers, columns) - 8
    pages: list[list[FlowStep]] = [[]]
    used = 0.0
    for step in steps:
        height = _base_height(step, columns)
        room = capacity_first if len(pages) == 1 else capacity
        current = pages[-1]
        fits = used + height + CONNECTOR_ROOM * 2 <= room
        if current and (len(current) >= max(1, s.rows_per_page) or not fits):
            pages.append([])
            used = 0.0
        pages[-1].append(step)
        used += height
    return pages


def _base_height(step: FlowStep, columns: Columns) -> float:
    _, sym_h = _symbol_size(step.symbol, columns)
    return max(text_height(step, columns), sym_h + 2 * ROOM + 6)


def _assign_lanes(edges: list[Edge], row_of: dict[int, int], side: str) -> int:
    """Interval colouring: the shortest jumps take the innermost lanes, overlapping jumps on
    the same side never share a lane. Returns the number of lanes used."""
    taken: list[list[tuple[int, int]]] = []
    chosen = [e for e in edges if e.kind == "lane" and e.side == side]
    chosen.sort(key=lambda e: (abs(row_of[e.dst] - row_of[e.src]), row_of[e.src]))
    for edge in chosen:
        span = sorted((row_of[edge.src], row_of[edge.dst]))
        for lane, spans in enumerate(taken):
            if all(span[1] < a or span[0] > b for a, b in spans):
                spans.append(tuple(span))
                edge.lane = lane
                break
        else:
            taken.append([tuple(span)])
            edge.lane = len(taken) - 1
    return len(taken)


def layout(
    performers: list[FlowPerformer], steps: list[FlowStep], settings: LayoutSettings | None = None
) -> Flowchart:
    """Lay out the flowchart of ``steps`` (any order; drawn by number) across pages."""
    s = settings or LayoutSettings()
    steps = sorted(steps, key=lambda st: st.no)
    column_of = {p.key: i for i, p in enumerate(performers)}
    order = {st.no: i for i, st in enumerate(steps)}
    by_no = {st.no: st for st in steps}

    # Edges, classified before the widths are known (lanes need room).
    edges: list[Edge] = []
    for step in steps:
        for dst, label in _exits(step):
            if dst in by_no and dst != step.no:
                edges.append(Edge(step.no, dst, label))

    # Pages depend on row heights, which depend on column widths, which depend on the number of
    # lanes: plan with a guess of lanes, then once more with the lanes actually used.
    lanes = (0, 1)
    for _ in range(3):
        columns = plan_columns(len(performers), *lanes, s)
        pages = _paginate(steps, columns, performers, s)
        page_of = {st.no: p for p, rows in enumerate(pages) for st in rows}
        used = _classify(edges, steps, by_no, order, page_of, column_of, len(performers))
        if used == lanes:
            break
        lanes = used
    columns = plan_columns(len(performers), *lanes, s)

    return _draw(performers, steps, pages, page_of, edges, columns, column_of, order, s)


def _classify(edges, steps, by_no, order, page_of, column_of, performers) -> tuple[int, int]:
    """Decide each edge's route: straight down to the next row, a side lane on the page, or a
    pair of off-page connectors; pick sides so a symbol never takes an arrow in and sends one
    out on the same side. Returns the lanes used on the left and on the right."""
    sides: dict[tuple[int, str], str] = {}  # (step, side) -> "in" | "out"
    number = 0
    for edge in edges:
        edge.lane, edge.connector, edge.side = None, None, ""
        if order[edge.dst] == order[edge.src] + 1 and page_of[edge.dst] == page_of[edge.src]:
            edge.kind = "down"
            continue
        if page_of[edge.dst] != page_of[edge.src]:
            edge.kind = "offpage"
            number += 1
            edge.connector = number
            if order[edge.dst] == order[edge.src] + 1:
                continue  # the page simply breaks between them: pentagons below and above
        else:
            edge.kind = "lane"
        preferred = ["right", "left"]
        src_step = by_no[edge.src]
        if src_step.symbol == "decision" and any(
            e is not edge and e.src == edge.src and e.side == "right" for e in edges
        ):
            preferred = ["left", "right"]
        for side in preferred:
            if sides.get((edge.src, side)) != "in" and sides.get((edge.dst, side)) != "out":
                break
        else:
            side = preferred[0]
        if edge.kind == "offpage":
            # A side pentagon sits in the neighbouring column: turn when there is none.
            for step_no in (edge.src, edge.dst):
                col = column_of.get(by_no[step_no].performer, 0)
                if side == "right" and col == performers - 1 and performers > 1:
                    side = "left" if col > 0 else side
                elif side == "left" and col == 0 and performers > 1:
                    side = "right"
        edge.side = side
        sides[(edge.src, side)] = "out"
        sides[(edge.dst, side)] = "in"
    # Lanes are assigned per page: jumps on different pages never meet.
    left = right = 0
    page_rows: dict[int, dict[int, int]] = {}
    for st in steps:
        page_rows.setdefault(page_of[st.no], {})[st.no] = order[st.no]
    for page, row_of in page_rows.items():
        on_page = [e for e in edges if e.kind == "lane" and page_of[e.src] == page]
        left = max(left, _assign_lanes(on_page, row_of, "left"))
        right = max(right, _assign_lanes(on_page, row_of, "right"))
    return left, right


def _draw(performers, steps, pages, page_of, edges, columns, column_of, order, s) -> Flowchart:
    down_in = {e.dst for e in edges if e.kind == "offpage" and not e.side}
    down_out = {e.src for e in edges if e.kind == "offpage" and not e.side}

    notes: dict[int, list[str]] = {}
    for edge in sorted((e for e in edges if e.kind == "offpage"), key=lambda e: e.connector):
        notes.setdefault(edge.src, []).append(f"Bersambung ke konektor {edge.connector}")
        notes.setdefault(edge.dst, []).append(f"Sambungan dari konektor {edge.connector}")

    placements: dict[int, Placement] = {}
    flow_pages: list[Page] = []
    for p, page_steps in enumerate(pages):
        page = Page()
        top = 0.0
        for r, step in enumerate(page_steps):
            w, h = _symbol_size(step.symbol, columns)
            above = ROOM + (CONNECTOR_ROOM if step.no in down_in else 0)
            below = ROOM + (CONNECTOR_ROOM if step.no in down_out else 0)
            extra = notes.get(step.no, [])
            text = text_height(step, columns) + sum(
                text_lines(n, columns.notes) * LINE_PX for n in extra
            )
            height = max(text, above + h + below + 6)
            spare = height - (above + h + below)
            col = column_of.get(step.performer, 0)
            placements[step.no] = Placement(
                no=step.no,
                page=p,
                row=r,
                column=col,
                x=columns.center(col),
                y=top + above + spare / 2 + h / 2,
                width=w,
                height=h,
            )
            page.rows.append(
                Row(step=step, height=math.ceil(height), top=top, connector_notes=extra)
            )
            top += math.ceil(height)
        flow_pages.append(page)

    svgs = [_Svg() for _ in pages]
    for st in steps:
        pl = placements[st.no]
        svgs[pl.page].symbol(pl, st.symbol)

    connectors: list[Connector] = []
    for edge in edges:
        a, b = placements[edge.src], placements[edge.dst]
        if edge.kind == "down":
            _draw_down(svgs[a.page], a, b, edge, flow_pages[b.page].rows[b.row].top)
        elif edge.kind == "lane":
            _draw_lane(svgs[a.page], a, b, edge, columns)
        else:
            connectors.append(Connector(edge.connector, edge.src, edge.dst, a.page, b.page))
            _draw_offpage(svgs[a.page], svgs[b.page], a, b, edge, columns)

    separators = [columns.lane_left + k * columns.performer for k in range(1, columns.performers)]
    for p, page in enumerate(flow_pages):
        for row in page.rows:
            row.svg = svgs[p].cut(row.top, row.height, columns.area, separators)

    return Flowchart(
        columns=columns,
        performers=list(performers),
        pages=flow_pages,
        placements=placements,
        edges=edges,
        connectors=connectors,
        header_height=header_height(performers, columns),
    )


def _exit_point(p: Placement, side: str) -> tuple[float, float]:
    return {
        "bottom": (p.x, p.y + p.height / 2),
        "top": (p.x, p.y - p.height / 2),
        "right": (p.x + p.width / 2, p.y),
        "left": (p.x - p.width / 2, p.y),
    }[side]


def _label(svg: _Svg, p: Placement, side: str, label: str) -> None:
    if not label:
        return
    x, y = _exit_point(p, side)
    if side == "bottom":
        svg.text(x + 4, y + 10, label)
    elif side == "right":
        svg.text(x + 3, y - 4, label)
    else:
        svg.text(x - 3, y - 4, label, anchor="end")


def _draw_down(svg: _Svg, a: Placement, b: Placement, edge: Edge, dst_top: float) -> None:
    start, end = _exit_point(a, "bottom"), _exit_point(b, "top")
    if abs(start[0] - end[0]) < 0.5:
        svg.line([start, end])
    else:
        bend = dst_top + ROOM * 0.6
        svg.line([start, (start[0], bend), (end[0], bend), end])
    svg.arrow(end, "down")
    _label(svg, a, "bottom", edge.label)


def _draw_lane(svg: _Svg, a: Placement, b: Placement, edge: Edge, columns: Columns) -> None:
    side = edge.side
    if side == "right":
        x = columns.lane_left + columns.performer * columns.performers
        x += (edge.lane + 0.5) * LANE_GAP
    else:
        x = columns.lane_left - (edge.lane + 0.5) * LANE_GAP
    start, end = _exit_point(a, side), _exit_point(b, side)
    svg.line([start, (x, start[1]), (x, end[1]), end])
    svg.arrow(end, "left" if side == "right" else "right")
    _label(svg, a, side, edge.label)


def _neighbour_x(p: Placement, side: str, columns: Columns) -> float:
    col = p.column + (1 if side == "right" else -1)
    col = min(max(col, 0), columns.performers - 1)
    return columns.center(col)


def _draw_offpage(
    src: _Svg, dst: _Svg, a: Placement, b: Placement, edge: Edge, columns: Columns
) -> None:
    c = CONNECTOR / 2
    if not edge.side:  # the page breaks between consecutive steps: below, then above
        start = _exit_point(a, "bottom")
        centre = (a.x, start[1] + ROOM + c)
        src.line([start, (a.x, centre[1] - c)])
        src.arrow((a.x, centre[1] - c), "down")
        src.pentagon(*centre, edge.connector)
        _label(src, a, "bottom", edge.label)
        end = _exit_point(b, "top")
        centre = (b.x, end[1] - ROOM - c)
        dst.pentagon(*centre, edge.connector)
        dst.line([(b.x, centre[1] + c), end])
        dst.arrow(end, "down")
        return
    side = edge.side
    sign = 1 if side == "right" else -1
    start = _exit_point(a, side)
    px = _neighbour_x(a, side, columns)
    src.line([start, (px - sign * c, start[1])])
    src.arrow((px - sign * c, start[1]), side)
    src.pentagon(px, start[1], edge.connector)
    _label(src, a, side, edge.label)
    end = _exit_point(b, side)
    px = _neighbour_x(b, side, columns)
    dst.pentagon(px, end[1], edge.connector)
    dst.line([(px - sign * c, end[1]), end])
    dst.arrow(end, "left" if side == "right" else "right")
