"""Layout of an SOP flowchart (Permenpan RB 35/2012, Lampiran Bab III: the flowchart format of
an SOP Administrasi Pemerintahan): columns, pages of rows, symbols, arrows, side lanes and
off-page connectors, drawn as one vector SVG per table row.

A pure function of the steps, the performers and :class:`LayoutSettings`: no database, no
template. Text is measured in the printing font (:mod:`.metrics`), so each row is planned as
tall as its tallest text cell; the row's SVG is exactly that tall and lines leaving one row's
SVG at its bottom go on in the next row's SVG at the same x. What the plan cannot know exactly
is measured afterwards on the laid-out document and fed back (:class:`Measured`), so a line
always meets the next row's line.

Modules: :mod:`.model` (the data), :mod:`.metrics` (text), :mod:`.columns` (widths, header,
heights), :mod:`.pages` (rows to pages), :mod:`.routes` (which way each arrow goes),
:mod:`.draw` (the picture).
"""

from __future__ import annotations

import functools
import math

from . import draw as _draw
from .columns import (
    header_height,
    header_lines,
    plan_columns,
    symbol_room,
    symbol_size,
    text_height,
)
from .metrics import wrap
from .model import (
    CONNECTOR,
    MM,
    ROOM,
    TITLE_FIRST,
    TITLE_NEXT,
    TOTAL_ROW,
    Columns,
    Connector,
    Edge,
    Flowchart,
    FlowPerformer,
    FlowStep,
    LayoutSettings,
    Measured,
    Page,
    Placement,
    Row,
)
from .pages import paginate
from .routes import classify, edges_of, number_connectors

__all__ = [
    "MM",
    "Columns",
    "Connector",
    "Edge",
    "FlowPerformer",
    "FlowStep",
    "Flowchart",
    "LayoutSettings",
    "Measured",
    "Page",
    "Placement",
    "Row",
    "header_lines",
    "layout",
]

# A connector's note ("Bersambung ke konektor 1", "Sambungan dari …") takes a line in Keterangan.
NOTE = "Bersambung ke konektor 00"
NOTE_IN = "Sambungan dari konektor 00"
COMFORT_WIDTHS = (56.0, 64.0, 72.0, 48.0)
# Kept free under a page's flowchart: the planned heights are the drawn ones (rows, header,
# title, key, total), rounded up; this covers WeasyPrint's rounding of the collapsed borders.
PAGE_SAFETY = 2.0


def _columns_of(step: FlowStep, column_of: dict[str, int]) -> tuple[int, ...]:
    cols = [column_of[k] for k in step.performers if k in column_of]
    return tuple(cols) or (0,)


def layout(
    performers: list[FlowPerformer],
    steps: list[FlowStep],
    settings: LayoutSettings | None = None,
    measured: Measured | None = None,
) -> Flowchart:
    """Lay out the flowchart of ``steps`` (any order; drawn by number) across pages."""
    s = settings or LayoutSettings()
    m = measured or Measured()
    steps = sorted(steps, key=lambda st: st.no)
    column_of = {p.key: i for i, p in enumerate(performers)}
    step_col = {st.no: _columns_of(st, column_of)[0] for st in steps}
    order = {st.no: i for i, st in enumerate(steps)}
    edges = edges_of(steps)
    down_next = {e.src for e in edges if order[e.dst] == order[e.src] + 1}
    # Each row's other ends: an edge whose other end lies off the row's page is an off-page
    # connector, and its note ("Bersambung ke / Sambungan dari konektor …") a line of the row's
    # Keterangan. Which page the other end is on is known from the row's own page alone.
    outgoing: dict[int, list[int]] = {i: [] for i in range(len(steps))}
    incoming: dict[int, list[int]] = {i: [] for i in range(len(steps))}
    for e in edges:
        outgoing[order[e.src]].append(order[e.dst])
        incoming[order[e.dst]].append(order[e.src])

    key = _key_height(performers, s)

    def plan(comfortable: float):
        # Row heights depend on the column widths, which depend on the lanes, which depend on
        # the pages: plan with a guess of lanes, then again with the lanes actually used.
        lanes = (0, 1)
        for _ in range(4):
            columns = plan_columns(performers, lanes, s, comfortable)
            head = max(header_height(performers, columns), m.header)

            @functools.cache
            def drawn(i: int, out: int, into: int, above: bool, below: bool, columns=columns):
                st = steps[i]
                notes = [NOTE] * out + [NOTE_IN] * into
                need = max(
                    text_height(st, columns, notes),
                    symbol_room(st, columns, above, below) + 4,
                    m.rows.get(st.no, 0.0),
                )
                return math.ceil(need) + 1  # the row's border

            def height(i: int, first: int, last: int) -> float:
                """Row ``i``'s height on a page of rows ``first … last``: as the picture
                will draw it, with the notes and pentagons of the connectors it gets there."""
                page = range(first, last + 1)
                return drawn(
                    i,
                    sum(j not in page for j in outgoing[i]),
                    sum(j not in page for j in incoming[i]),
                    i == first and i > 0 and steps[i - 1].no in down_next,
                    i == last and steps[i].no in down_next,
                )

            def capacity(first_page: bool, holds_last: bool, head=head) -> float:
                title = TITLE_FIRST if first_page else TITLE_NEXT
                last = TOTAL_ROW + s.reserve_last if holds_last else 0
                return s.body_height - head - title - key - last - PAGE_SAFETY

            breaks = paginate(len(steps), height, capacity, s.rows_per_page)
            page_of = {steps[i].no: p for p, (a, b) in enumerate(breaks) for i in range(a, b + 1)}
            used = classify(edges, steps, order, page_of, step_col, len(performers))
            if used == lanes:
                break
            lanes = used
        total = head * len(breaks) + sum(drawn(i, 0, 0, False, False) for i in range(len(steps)))
        return (len(breaks), total), columns, head, breaks, page_of

    # Narrow performer columns leave the text more room (fewer lines), wide ones take fewer
    # header lines: try a few widths and keep the one with the fewest pages, then the least
    # height. The last plan run routes the edges for the chosen width.
    scores = {c: plan(c)[0] for c in COMFORT_WIDTHS}
    best = min(COMFORT_WIDTHS, key=lambda c: (scores[c], COMFORT_WIDTHS.index(c)))
    _, columns, head, breaks, page_of = plan(best)
    number_connectors(edges, order, page_of, step_col)
    return _picture(performers, steps, breaks, page_of, edges, columns, column_of, m, head)


def _key_height(performers: list[FlowPerformer], s: LayoutSettings) -> float:
    """The key under each page spelling out the short labels (7 pt, 10 px lines)."""
    entries = [f"{p.short}: {p.title}" for p in performers if p.short and p.short != p.title]
    if not entries:
        return 0.0
    return len(wrap(" · ".join(entries), s.body_width, 7 * 96 / 72)) * 10.0 + 4


def _picture(performers, steps, breaks, page_of, edges, columns, column_of, m, head) -> Flowchart:
    pentagon_below = {e.src for e in edges if e.kind == "offpage" and not e.side}
    pentagon_above = {e.dst for e in edges if e.kind == "offpage" and not e.side}
    notes: dict[int, list[str]] = {}
    for edge in sorted((e for e in edges if e.kind == "offpage"), key=lambda e: e.connector):
        notes.setdefault(edge.src, []).append(f"Bersambung ke konektor {edge.connector}")
        notes.setdefault(edge.dst, []).append(f"Sambungan dari konektor {edge.connector}")

    placements: dict[int, Placement] = {}
    pages: list[Page] = []
    for p, (a, b) in enumerate(breaks):
        page, top = Page(), 0.0
        for r, st in enumerate(steps[a : b + 1]):
            cols = _columns_of(st, column_of)
            span = (min(cols), max(cols))
            w, h = symbol_size(st, columns, span[1] - span[0] + 1)
            above = ROOM + (CONNECTOR + ROOM if st.no in pentagon_above else 0)
            extra = notes.get(st.no, [])
            need = max(
                text_height(st, columns, extra),
                symbol_room(st, columns, st.no in pentagon_above, st.no in pentagon_below) + 4,
                m.rows.get(st.no, 0.0),
            )
            height = math.ceil(need)
            room = symbol_room(st, columns, st.no in pentagon_above, st.no in pentagon_below)
            x = (columns.center(span[0]) + columns.center(span[1])) / 2
            placements[st.no] = Placement(
                no=st.no,
                page=p,
                row=r,
                column=cols[0],
                x=x,
                y=top + above + (height - room) / 2 + h / 2,
                width=w,
                height=h,
                columns=cols,
            )
            page.rows.append(Row(step=st, height=height, top=top, connector_notes=extra))
            top += height
        pages.append(page)

    drawings = [
        _draw.PageDrawing(columns, [(r.top, r.top + r.height) for r in page.rows]) for page in pages
    ]
    for st in steps:
        pl = placements[st.no]
        drawings[pl.page].symbol(pl, st.symbol)
    connectors: list[Connector] = []
    for edge in edges:
        a, b = placements[edge.src], placements[edge.dst]
        if edge.kind == "down":
            _draw.draw_down(drawings[a.page], a, b, edge)
        elif edge.kind == "lane":
            _draw.draw_lane(drawings[a.page], a, b, edge)
        else:
            connectors.append(Connector(edge.connector, edge.src, edge.dst, a.page, b.page))
            _draw.draw_offpage(drawings[a.page], drawings[b.page], a, b, edge)
    for drawing in drawings:
        drawing.finish()
    for drawing, page in zip(drawings, pages, strict=True):
        for row in page.rows:
            row.svg = drawing.cut(row.top, row.height)
    return Flowchart(
        columns=columns,
        performers=list(performers),
        pages=pages,
        placements=placements,
        edges=edges,
        connectors=sorted(connectors, key=lambda c: c.number),
        header_height=head,
        bridges=sum(d.bridges for d in drawings),
    )
