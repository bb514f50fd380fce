"""Measuring a drawn flowchart the way a careful reader would: from the SVG it prints and from
the boxes WeasyPrint lays out, not from the layout's own intentions.

- :func:`drawing` reads each flowchart page back from its row SVGs (page coordinates): line
  segments per edge, symbols, connectors, labels;
- :func:`crossings`, :func:`label_overlaps`, :func:`connector_order` count what is wrong in it;
- :func:`laid_out_rows` renders the document's HTML with WeasyPrint and compares, row by row,
  the height of the table row with the height of its drawing (a gap is a broken line);
- :func:`header_splits` finds performer titles broken inside a word in the laid-out header.

Every function returns the faults it found, so a test asserts an empty list and its failure
message says where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflows.flowchart.metrics import text_width

TOL = 0.6  # px: closer than this is "touching", not crossing


@dataclass
class Drawing:
    """One flowchart page read back from its SVG."""

    page: int
    lines: list[list[tuple[float, float]]] = field(default_factory=list)  # one per polyline
    shapes: list[list[tuple[float, float]]] = field(default_factory=list)  # symbols, pentagons
    labels: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    connectors: list[tuple[float, float, int]] = field(default_factory=list)  # y, x, number
    rules: list[float] = field(default_factory=list)  # column rules' x


_POINTS = re.compile(r"(-?[\d.]+),(-?[\d.]+)")
_TEXT = re.compile(
    r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="([\d.]+)" '
    r'text-anchor="(\w+)"[^>]*>([^<]*)</text>'
)


def _points(s: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in _POINTS.findall(s)]


def drawing(chart) -> list[Drawing]:
    """Every page of ``chart`` (a :class:`workflows.flowchart.Flowchart`), read from its SVG."""
    pages = []
    for number, page in enumerate(chart.pages):
        d = Drawing(page=number)
        seen: set[str] = set()
        for row in page.rows:
            for element in re.findall(
                r"<(?:polyline|polygon|rect|text|path|line)[^>]*?(?:/>|>[^<]*</text>)", row.svg
            ):
                if element in seen:
                    continue
                seen.add(element)
                if element.startswith("<polyline"):
                    d.lines.append(_points(re.search(r'points="([^"]*)"', element).group(1)))
                elif element.startswith("<path") and "data-bridge" not in element:
                    pass
                elif element.startswith("<polygon") and 'fill="#fff"' in element:
                    d.shapes.append(_points(re.search(r'points="([^"]*)"', element).group(1)))
                elif element.startswith("<rect"):
                    x, y, w, h = (
                        float(re.search(rf' {k}="([\d.-]+)"', element).group(1))
                        for k in ("x", "y", "width", "height")
                    )
                    d.shapes.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
                elif element.startswith("<text"):
                    m = _TEXT.search(element)
                    if not m:
                        continue
                    x, y, size, anchor, label = m.groups()
                    x, y, size = float(x), float(y), float(size)
                    label = label.strip()
                    w = text_width(label, size)
                    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
                    box = (x0, y - 0.72 * size, x0 + w, y + 0.2 * size)
                    if label.isdigit() and anchor == "middle" and size >= 9:
                        d.connectors.append((y, x, int(label)))
                    else:
                        d.labels.append((label, box))
                elif element.startswith("<line"):
                    d.rules.append(float(re.search(r'x1="([\d.-]+)"', element).group(1)))
        pages.append(d)
    return pages


def _segments(line):
    return list(zip(line, line[1:], strict=False))


def _cross(s, t) -> tuple[float, float] | None:
    """Where an axis-parallel segment ``s`` crosses ``t`` strictly inside both, else None."""
    (ax, ay), (bx, by) = s
    (cx, cy), (dx, dy) = t
    s_vertical, t_vertical = abs(ax - bx) < TOL, abs(cx - dx) < TOL
    if s_vertical == t_vertical:
        return None
    if not s_vertical:
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = (cx, cy), (dx, dy), (ax, ay), (bx, by)
    # now s is vertical at x=ax, t horizontal at y=cy
    y0, y1 = sorted((ay, by))
    x0, x1 = sorted((cx, dx))
    if y0 + TOL < cy < y1 - TOL and x0 + TOL < ax < x1 - TOL:
        return (ax, cy)
    return None


def _overlap(s, t) -> bool:
    """Two collinear segments running on top of each other for more than a touch."""
    (ax, ay), (bx, by) = s
    (cx, cy), (dx, dy) = t
    if abs(ax - bx) < TOL and abs(cx - dx) < TOL and abs(ax - cx) < TOL:
        lo, hi = max(min(ay, by), min(cy, dy)), min(max(ay, by), max(cy, dy))
        return hi - lo > 2
    if abs(ay - by) < TOL and abs(cy - dy) < TOL and abs(ay - cy) < TOL:
        lo, hi = max(min(ax, bx), min(cx, dx)), min(max(ax, bx), max(cx, dx))
        return hi - lo > 2
    return False


def crossings(pages: list[Drawing]) -> list[str]:
    """Lines of different edges that cross (no gap, no bridge) or run on top of each other."""
    faults = []
    for d in pages:
        for i, a in enumerate(d.lines):
            for b in d.lines[i + 1 :]:
                for s in _segments(a):
                    for t in _segments(b):
                        point = _cross(s, t)
                        if point:
                            faults.append(f"page {d.page}: lines cross at {point}")
                        elif _overlap(s, t):
                            faults.append(f"page {d.page}: lines overlap along {s} / {t}")
    return faults


def _rect_hits_segment(box, seg) -> bool:
    x0, y0, x1, y1 = box
    (ax, ay), (bx, by) = seg
    if abs(ax - bx) < TOL:  # vertical
        return x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0
    return y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0


def _rect_hits_polygon(box, poly) -> bool:
    """Separating-axis test of a rectangle against a convex polygon."""
    x0, y0, x1, y1 = box
    rect = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    for shape in (rect, poly):
        for (ax, ay), (bx, by) in zip(shape, shape[1:] + shape[:1], strict=False):
            nx, ny = by - ay, ax - bx
            p = [nx * x + ny * y for x, y in rect]
            q = [nx * x + ny * y for x, y in poly]
            if max(p) <= min(q) + 1e-6 or max(q) <= min(p) + 1e-6:
                return False
    return True


def label_overlaps(pages: list[Drawing]) -> list[str]:
    """Labels over a symbol, a connector, a line, a column rule or another label."""
    faults = []
    for d in pages:
        for i, (label, box) in enumerate(d.labels):
            x0, y0, x1, y1 = box
            for shape in d.shapes:
                if _rect_hits_polygon(box, shape):
                    faults.append(f"page {d.page}: label {label!r} over a symbol")
            for line in d.lines:
                for seg in _segments(line):
                    if _rect_hits_segment(box, seg):
                        faults.append(f"page {d.page}: label {label!r} over a line")
            for x in d.rules:
                if x0 < x < x1:
                    faults.append(f"page {d.page}: label {label!r} over a column rule")
            for other, obox in d.labels[i + 1 :]:
                if x0 < obox[2] and obox[0] < x1 and y0 < obox[3] and obox[1] < y1:
                    faults.append(f"page {d.page}: labels {label!r} and {other!r} overlap")
    return faults


def connector_order(pages: list[Drawing]) -> list[str]:
    """Connector numbers, read page by page, top to bottom then left to right, must first
    appear as 1, 2, 3 …"""
    first: list[int] = []
    for d in pages:
        for _, _, number in sorted(d.connectors):
            if number not in first:
                first.append(number)
    if first != sorted(first) or first != list(range(1, len(first) + 1)):
        return [f"connector numbers read {first}"]
    return []


# --- WeasyPrint boxes ----------------------------------------------------------------------


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None:
        return set()
    return set((element.get("class") or "").split())


def layout_document(html: str):
    """WeasyPrint's laid-out document of ``html`` (the portal's own fetcher)."""
    from weasyprint import HTML

    from sop_portal.pdf import BASE_URL, _fetcher

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render(
        presentational_hints=True
    )


def laid_out_rows(document) -> tuple[list[str], list[float]]:
    """Rows whose drawing does not reach the row's border (a line that stops short), and the
    gaps (px) measured on every row."""
    from weasyprint.formatting_structure.boxes import ReplacedBox, TableRowBox

    faults, gaps = [], []
    for number, page in enumerate(document.pages, 1):
        for box in _descendants(page._page_box):
            if not isinstance(box, TableRowBox) or "step" not in _classes(box):
                continue
            cell = next((c for c in box.children if "flow-cell" in _classes(c)), None)
            if cell is None:
                continue
            svg = next((b for b in _descendants(cell) if isinstance(b, ReplacedBox)), None)
            if svg is None:
                faults.append(f"page {number}: a row without its drawing")
                continue
            # The row's box is as tall as its tallest cell; the drawing's cell is as tall as
            # the drawing plus its (collapsed) borders. Any difference is a line stopping short.
            gap = box.height - (
                svg.margin_height() + cell.border_top_width + cell.border_bottom_width
            )
            gaps.append(gap)
            if abs(gap) > 0.05:
                faults.append(
                    f"page {number}: row {box.element.get('data-no')} drawing "
                    f"{gap / (96 / 25.4):.2f} mm short"
                )
    return faults, gaps


def header_splits(document) -> list[str]:
    """Performer titles that the laid-out header breaks inside a word."""
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    faults = []
    for number, page in enumerate(document.pages, 1):
        for box in _descendants(page._page_box):
            if "performer" not in _classes(box):
                continue
            words = set(" ".join(box.element.itertext()).split())
            for line in (b for b in _descendants(box) if isinstance(b, LineBox)):
                text = "".join(t.text for t in _descendants(line) if isinstance(t, TextBox))
                for word in text.split():
                    if word not in words:
                        faults.append(f"page {number}: header split {word!r}")
    return faults


def flow_pages(document) -> list[int]:
    """How many step rows each PDF page holds (pages without a flowchart row left out)."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    counts = []
    for page in document.pages:
        n = sum(
            1
            for b in _descendants(page._page_box)
            if isinstance(b, TableRowBox) and "step" in _classes(b)
        )
        if n:
            counts.append(n)
    return counts


@dataclass
class FlowPage:
    """One printed page of a flowchart as laid out: its step rows' heights, the room left
    under the flowchart (table and key) before the bottom margin, and the continuation line."""

    rows: list[float]
    free: float
    continued: str


def flow_page_room(document) -> list[FlowPage]:
    """Every page holding step rows, read from WeasyPrint's boxes."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    out = []
    for page in document.pages:
        box = page._page_box
        rows = [
            b for b in _descendants(box) if isinstance(b, TableRowBox) and "step" in _classes(b)
        ]
        if not rows:
            continue
        parts = [b for b in _descendants(box) if _classes(b) & {"flow", "flow-key"}]
        bottom = max(b.position_y + b.margin_height() for b in parts)
        continued = next(
            (
                " ".join("".join(b.element.itertext()).split())
                for b in _descendants(box)
                if "flow-continued" in _classes(b)
            ),
            "",
        )
        out.append(
            FlowPage(
                rows=[b.height for b in rows],
                free=box.content_box_y() + box.height - bottom,
                continued=continued,
            )
        )
    return out
