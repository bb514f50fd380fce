"""Drawing one laid-out page: symbols, arrows, lanes, pentagons, a hop where a crossing cannot
be avoided, and the Ya/Tidak labels put in free space (tried at several places and sizes,
never over a symbol, a line, a column rule or another label). Everything is drawn once in page
coordinates and cut into one SVG per table row, each exactly as tall as its row."""

from __future__ import annotations

from html import escape

from .metrics import text_width
from .model import (
    ARROW_HALF,
    ARROW_LEN,
    BRIDGE,
    CONNECTOR,
    FONT_FAMILY,
    LABEL_SIZES,
    LANE_GAP,
    ROOM,
    STROKE,
    Columns,
    Edge,
    Placement,
)

TOL = 0.6

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def _fmt(points: list[Point]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


class PageDrawing:
    """The elements of one page, each with its vertical extent, and what labels must avoid."""

    def __init__(self, columns: Columns, rows: list[tuple[float, float]]) -> None:
        self.columns = columns
        self.rows = rows  # (top, bottom) of each row, page coordinates
        self.items: list[tuple[float, float, str]] = []
        self.lines: list[list[Point]] = []
        self.shapes: list[list[Point]] = []
        self.labels: list[Box] = []
        self.pending: list[tuple[Point, str, str, int]] = []  # exit, side, text, row
        self.bridges = 0

    def add(self, y0: float, y1: float, markup: str) -> None:
        self.items.append((min(y0, y1), max(y0, y1), markup))

    # --- primitives ------------------------------------------------------------------------

    def route(self, points: list[Point], tip: str) -> None:
        """A line through ``points`` ending in an arrowhead pointing ``tip``."""
        self.lines.append(points)
        self._arrow(points[-1], tip)

    def _polyline(self, points: list[Point]) -> None:
        ys = [y for _, y in points]
        self.add(
            min(ys) - 1,
            max(ys) + 1,
            f'<polyline points="{_fmt(points)}" fill="none" stroke="{STROKE}" '
            f'stroke-width="1.1" stroke-linejoin="miter"/>',
        )

    def _arrow(self, tip: Point, direction: str) -> None:
        x, y = tip
        dx, dy = {"down": (0, -1), "up": (0, 1), "left": (1, 0), "right": (-1, 0)}[direction]
        bx, by = x + dx * ARROW_LEN, y + dy * ARROW_LEN
        px, py = -dy * ARROW_HALF, dx * ARROW_HALF
        pts = _fmt([(x, y), (bx + px, by + py), (bx - px, by - py)])
        self.add(y - ARROW_LEN, y + ARROW_LEN, f'<polygon points="{pts}" fill="{STROKE}"/>')

    def text(self, x: float, y: float, label: str, anchor: str = "start", size: float = 8) -> None:
        self.add(
            y - size,
            y + 2,
            f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-family="{FONT_FAMILY}" fill="{STROKE}">{escape(label)}</text>',
        )

    def symbol(self, p: Placement, symbol: str) -> None:
        x, y, w, h = p.x, p.y, p.width, p.height
        style = f'fill="#fff" stroke="{STROKE}" stroke-width="1.3"'
        if symbol == "decision":
            pts = [(x, y - h / 2), (x + w / 2, y), (x, y + h / 2), (x - w / 2, y)]
            markup = f'<polygon points="{_fmt(pts)}" {style}/>'
        else:
            pts = [(x - w / 2, y - h / 2), (x + w / 2, y - h / 2), (x + w / 2, y + h / 2)]
            pts.append((x - w / 2, y + h / 2))
            r = h / 2 if symbol == "terminator" else 0
            markup = (
                f'<rect x="{x - w / 2:.2f}" y="{y - h / 2:.2f}" width="{w:.2f}" '
                f'height="{h:.2f}" rx="{r:.2f}" {style}/>'
            )
        self.shapes.append(pts)
        self.add(y - h / 2, y + h / 2, markup)

    def pentagon(self, x: float, y: float, number: int) -> None:
        c = CONNECTOR / 2
        pts = [
            (x - c, y - c),
            (x + c, y - c),
            (x + c, y + c * 0.3),
            (x, y + c),
            (x - c, y + c * 0.3),
        ]
        self.shapes.append(pts)
        self.add(
            y - c,
            y + c,
            f'<polygon points="{_fmt(pts)}" fill="#fff" stroke="{STROKE}" stroke-width="1.2"/>',
        )
        self.text(x, y + 2.5, str(number), anchor="middle", size=9)

    def label(self, at: Point, side: str, text: str, row: int) -> None:
        """Ask for a Ya/Tidak label at an exit; placed once every line is known."""
        if text:
            self.pending.append((at, side, text, row))

    # --- crossings -------------------------------------------------------------------------

    def _bridges(self) -> list[list[Point]]:
        """The lines as drawn: where a horizontal run crosses another line's vertical run, the
        horizontal hops over it (a small arc) instead of meeting it flat."""
        verticals = []
        for index, line in enumerate(self.lines):
            for (ax, ay), (bx, by) in zip(line, line[1:], strict=False):
                if abs(ax - bx) < TOL and abs(ay - by) > TOL:
                    verticals.append((index, ax, min(ay, by), max(ay, by)))
        drawn: list[list[Point]] = []
        for index, line in enumerate(self.lines):
            current = [line[0]]
            for (ax, ay), (bx, by) in zip(line, line[1:], strict=False):
                if abs(ay - by) < TOL and abs(ax - bx) > TOL:
                    lo, hi = min(ax, bx), max(ax, bx)
                    hops = sorted(
                        {
                            x
                            for other, x, y0, y1 in verticals
                            if other != index
                            and lo + BRIDGE + TOL < x < hi - BRIDGE - TOL
                            and y0 + TOL < ay < y1 - TOL
                        },
                        reverse=bx < ax,
                    )
                    sign = 1 if bx > ax else -1
                    for x in hops:
                        current.append((x - sign * BRIDGE, ay))
                        drawn.append(current)
                        sweep = 1 if sign > 0 else 0
                        self.add(
                            ay - BRIDGE,
                            ay,
                            f'<path data-bridge="1" d="M {x - sign * BRIDGE:.2f} {ay:.2f} '
                            f'A {BRIDGE} {BRIDGE} 0 0 {sweep} {x + sign * BRIDGE:.2f} {ay:.2f}" '
                            f'fill="none" stroke="{STROKE}" stroke-width="1.1"/>',
                        )
                        self.bridges += 1
                        current = [(x + sign * BRIDGE, ay)]
                current.append((bx, by))
            drawn.append(current)
        return drawn

    # --- labels ----------------------------------------------------------------------------

    def _free(self, box: Box, segments: list[tuple[Point, Point]], row: int) -> bool:
        x0, y0, x1, y1 = box
        top, bottom = self.rows[row]
        if y0 < top + 1 or y1 > bottom - 1 or x0 < 1 or x1 > self.columns.area - 1:
            return False
        if any(x0 - 1 < x < x1 + 1 for x in self.columns.rules()):
            return False
        for (ax, ay), (bx, by) in segments:
            if abs(ax - bx) < TOL:
                if x0 - 1 < ax < x1 + 1 and min(ay, by) < y1 + 1 and max(ay, by) > y0 - 1:
                    return False
            elif y0 - 1 < ay < y1 + 1 and min(ax, bx) < x1 + 1 and max(ax, bx) > x0 - 1:
                return False
        if any(_rect_hits(box, shape) for shape in self.shapes):
            return False
        return not any(
            x0 < b[2] + 1 and b[0] < x1 + 1 and y0 < b[3] + 1 and b[1] < y1 + 1 for b in self.labels
        )

    def _candidates(self, at: Point, side: str, text: str):
        x, y = at
        for size in LABEL_SIZES:
            w = text_width(text, size)
            up, down = 0.72 * size, 0.2 * size
            if side == "bottom":
                for drop in (2.0, 4.0, 7.0):
                    base = y + up + drop
                    yield (x + 3, base - up, x + 3 + w, base + down), (x + 3, base, "start", size)
                    yield (x - 3 - w, base - up, x - 3, base + down), (x - 3, base, "end", size)
                continue
            sign = 1 if side == "right" else -1
            step = self.columns.performer / 4
            for k in range(0, 12):
                along = 2 + k * step
                for base, box_y in (
                    (y - 2.5, (y - 2.5 - up, y - 2.5 + down)),
                    (y + up + 2.5, (y + 2.5, y + up + 2.5 + down)),
                ):
                    if sign > 0:
                        x0 = x + along
                        yield (x0, box_y[0], x0 + w, box_y[1]), (x0, base, "start", size)
                    else:
                        x1 = x - along
                        yield (x1 - w, box_y[0], x1, box_y[1]), (x1, base, "end", size)

    def _place_labels(self, drawn: list[list[Point]]) -> None:
        segments = [s for line in drawn for s in zip(line, line[1:], strict=False)]
        for at, side, text, row in self.pending:
            chosen = None
            for box, (tx, ty, anchor, size) in self._candidates(at, side, text):
                if self._free(box, segments, row):
                    chosen = (box, tx, ty, anchor, size)
                    break
            if chosen is None:  # nowhere free: the first place, smallest size (a test says so)
                box, (tx, ty, anchor, size) = list(self._candidates(at, side, text))[-1]
                chosen = (box, tx, ty, anchor, size)
            box, tx, ty, anchor, size = chosen
            self.labels.append(box)
            self.text(tx, ty, text, anchor=anchor, size=size)

    # --- output ----------------------------------------------------------------------------

    def finish(self) -> None:
        drawn = self._bridges()
        for line in drawn:
            if len(line) > 1:
                self._polyline(line)
        self._place_labels(drawn)

    def cut(self, top: float, height: float) -> str:
        """The SVG of one row: the elements that reach into it, seen through its window."""
        bottom = top + height
        width = self.columns.area
        body = [
            f'<line x1="{x:.2f}" y1="{top:.2f}" x2="{x:.2f}" y2="{bottom:.2f}" '
            f'stroke="#777" stroke-width="0.6"/>'
            for x in self.columns.rules()
        ]
        body += [m for y0, y1, m in self.items if y1 >= top and y0 <= bottom]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-svg" width="{width:.2f}" '
            f'height="{height:.2f}" viewBox="0 {top:.2f} {width:.2f} {height:.2f}" '
            f'preserveAspectRatio="none" role="presentation">{"".join(body)}</svg>'
        )


def _rect_hits(box: Box, poly: list[Point]) -> bool:
    """Separating-axis test of a rectangle (grown by 1 px) against a convex polygon."""
    x0, y0, x1, y1 = box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1
    rect = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    for shape in (rect, poly):
        for (ax, ay), (bx, by) in zip(shape, shape[1:] + shape[:1], strict=False):
            nx, ny = by - ay, ax - bx
            p = [nx * x + ny * y for x, y in rect]
            q = [nx * x + ny * y for x, y in poly]
            if max(p) <= min(q) or max(q) <= min(p):
                return False
    return True


# --- edges -----------------------------------------------------------------------------


def exit_point(p: Placement, side: str) -> Point:
    return {
        "bottom": (p.x, p.y + p.height / 2),
        "top": (p.x, p.y - p.height / 2),
        "right": (p.x + p.width / 2, p.y),
        "left": (p.x - p.width / 2, p.y),
    }[side]


def lane_x(edge: Edge, columns: Columns) -> float:
    if edge.side == "right":
        return (
            columns.lane_left
            + columns.performer * columns.performers
            + (edge.lane + 0.5) * LANE_GAP
        )
    return columns.lane_left - (edge.lane + 0.5) * LANE_GAP


def draw_down(d: PageDrawing, a: Placement, b: Placement, edge: Edge) -> None:
    start, end = exit_point(a, "bottom"), exit_point(b, "top")
    if abs(start[0] - end[0]) < 0.5:
        d.route([start, end], "down")
    else:
        bend = end[1] - ROOM / 2
        d.route([start, (start[0], bend), (end[0], bend), end], "down")
    d.label(start, "bottom", edge.label, a.row)


def draw_lane(d: PageDrawing, a: Placement, b: Placement, edge: Edge) -> None:
    x = lane_x(edge, d.columns)
    start, end = exit_point(a, edge.side), exit_point(b, edge.side)
    d.route([start, (x, start[1]), (x, end[1]), end], "left" if edge.side == "right" else "right")
    d.label(start, edge.side, edge.label, a.row)


def _beside(p: Placement, side: str, columns: Columns) -> float:
    """Where a side pentagon stands: in the column next to the symbol's outer column."""
    cols = p.columns or (p.column,)
    col = (max(cols) + 1) if side == "right" else (min(cols) - 1)
    if 0 <= col < columns.performers:
        return columns.center(col)
    edge_x = p.x + (p.width / 2 if side == "right" else -p.width / 2)
    return edge_x + (1 if side == "right" else -1) * (CONNECTOR / 2 + 10)


def draw_offpage(
    src: PageDrawing, dst: PageDrawing, a: Placement, b: Placement, edge: Edge
) -> None:
    c = CONNECTOR / 2
    number = edge.connector
    if not edge.side:  # the page breaks between consecutive steps: below, then above
        start = exit_point(a, "bottom")
        centre = (a.x, start[1] + ROOM + c)
        src.route([start, (a.x, centre[1] - c)], "down")
        src.pentagon(*centre, number)
        src.label(start, "bottom", edge.label, a.row)
        end = exit_point(b, "top")
        centre = (b.x, end[1] - ROOM - c)
        dst.pentagon(*centre, number)
        dst.route([(b.x, centre[1] + c), end], "down")
        return
    side = edge.side
    sign = 1 if side == "right" else -1
    start = exit_point(a, side)
    px = _beside(a, side, src.columns)
    src.route([start, (px - sign * c, start[1])], side)
    src.pentagon(px, start[1], number)
    src.label(start, side, edge.label, a.row)
    end = exit_point(b, side)
    px = _beside(b, side, dst.columns)
    dst.pentagon(px, end[1], number)
    dst.route([(px - sign * c, end[1]), end], "left" if side == "right" else "right")
