"""Column widths, header lettering and row heights, from the text measured in the printing
font (:mod:`.metrics`).

Permenpan RB 35/2012 (Lampiran, Bab III: the flowchart format) fixes the columns: No, Kegiatan,
Pelaksana (one column per performer), Mutu Baku (Kelengkapan, Waktu, Output) and Keterangan.
"""

from __future__ import annotations

from .metrics import longest_word, wrap
from .model import (
    BORDER,
    CELL_PAD_X,
    CELL_PAD_Y,
    CONNECTOR,
    FONT_PX,
    HEADER_LINE,
    HEADER_PAD_X,
    HEADER_PAD_Y,
    HEADER_SIZES,
    LANE_GAP,
    LINE_PX,
    LIST_GAP,
    MM,
    ROOM,
    Columns,
    FlowPerformer,
    FlowStep,
    LayoutSettings,
)

MIN_PERFORMER = 40.0
COMFORTABLE = 56.0
# Below these the text columns are not squeezed (Kelengkapan and Output lists, Keterangan).
FLOORS = {"activity": 118.0, "requirements": 112.0, "output": 100.0, "notes": 84.0}


def text_lines(text: str, width: float, size: float = FONT_PX) -> int:
    """How many lines ``text`` takes in a cell ``width`` px wide (padding included)."""
    return len(wrap(text, width - 2 * CELL_PAD_X, size))


def _list_height(items, width: float) -> float:
    if not items:
        return LINE_PX
    return sum(text_lines(i, width) * LINE_PX for i in items) + LIST_GAP * (len(items) - 1)


def text_height(step: FlowStep, columns: Columns, extra_notes: list[str] = ()) -> float:
    """Height of the row's drawing that its text cells need (the tallest cell)."""
    notes = "\n".join(filter(None, [step.notes, *extra_notes]))
    content = max(
        text_lines(step.activity, columns.activity) * LINE_PX,
        _list_height(step.requirements, columns.requirements),
        text_lines(step.time or "—", columns.time) * LINE_PX,
        _list_height(step.output, columns.output),
        text_lines(notes, columns.notes) * LINE_PX if notes else LINE_PX,
    )
    return content + 2 * CELL_PAD_Y


def _header_need(performers: list[FlowPerformer], size: float) -> float:
    """The performer column width in which no header word breaks at font ``size``."""
    words = max((longest_word(p.label, size, bold=True) for p in performers), default=0.0)
    return words / 0.97 + 2 * HEADER_PAD_X + 2


def plan_columns(
    performers: list[FlowPerformer],
    lanes: tuple[int, int],
    s: LayoutSettings,
    comfortable: float = COMFORTABLE,
) -> Columns:
    """Fixed widths for No, Waktu; Kegiatan and the text columns share what the performer
    columns leave. Performer columns are as wide as their headers need at the largest header
    font that leaves the text columns above their floors (the font steps down first, then the
    text columns give way), and never wider than the drawing needs."""
    count = max(1, len(performers))
    scale = s.body_width / (277 * MM)
    text = {
        "activity": 168.0 * scale,
        "requirements": 150.0 * scale,
        "output": 132.0 * scale,
        "notes": 128.0 * scale,
    }
    fixed = 24.0 + 50.0  # No, Waktu
    lane_left, lane_right = lanes[0] * LANE_GAP, lanes[1] * LANE_GAP
    free = s.body_width - fixed - lane_left - lane_right
    floors = sum(FLOORS.values())
    spare = (free - floors) / count  # per performer, with the text columns at their floors
    # The largest header font whose longest word fits a comfortable column, else the largest
    # that fits the room there is: the font steps down before a column grows or a word breaks.
    target = min(comfortable, spare)
    size = next(
        (z for z in HEADER_SIZES if _header_need(performers, z) <= target),
        HEADER_SIZES[-1],
    )
    # A comfortable column holds a symbol with its labels beside it; wider helps no one.
    performer = max(MIN_PERFORMER, _header_need(performers, size), min(comfortable, spare))
    if performer * count > free - floors:  # even the smallest font needs short labels
        performer = max(MIN_PERFORMER, spare)
    left = free - performer * count
    total = sum(text.values())
    if left >= total:  # Keterangan and Kegiatan grow first with what the performers leave
        for k, share in (
            ("notes", 0.35),
            ("activity", 0.35),
            ("requirements", 0.15),
            ("output", 0.15),
        ):
            text[k] += (left - total) * share
    elif left >= floors:  # the shortage shared in proportion to what each has above its floor
        over = {k: text[k] - FLOORS[k] for k in text}
        for k in text:
            text[k] -= (total - left) * over[k] / sum(over.values())
    else:  # not even the floors fit: the floors shrink together
        for k in text:
            text[k] = FLOORS[k] * max(left, 0) / floors
    return Columns(
        no=24.0,
        time=50.0,
        performer=performer,
        performers=count,
        lane_left=lane_left,
        lane_right=lane_right,
        header_size=size,
        **text,
    )


def header_lines(performers: list[FlowPerformer], columns: Columns) -> list[list[str]]:
    """Each performer's header as printed: its label wrapped at spaces."""
    widths = columns.header_widths()
    return [
        wrap(p.label, w - 2 * HEADER_PAD_X, columns.header_size, bold=True)
        for p, w in zip(performers, widths, strict=False)
    ]


def header_height(performers: list[FlowPerformer], columns: Columns) -> float:
    """The two header rows: "Pelaksana | Mutu Baku", then the performers' labels."""
    lines = max([len(x) for x in header_lines(performers, columns)] or [1])
    sub = max(lines * columns.header_size * HEADER_LINE, 2 * 11.5)
    return (11.5 + 2 * HEADER_PAD_Y + BORDER) + (sub + 2 * HEADER_PAD_Y + BORDER)


def symbol_size(step: FlowStep, columns: Columns, spanned: int = 1) -> tuple[float, float]:
    """Width and height of a step's symbol; a step of several performers spans their columns."""
    if step.symbol == "decision":
        w, h = min(columns.performer - 8, 60.0), 34.0
    else:
        w, h = min(columns.performer - 12, 72.0), 22.0
    if spanned > 1:
        w += (spanned - 1) * columns.performer
    return w, h


def symbol_room(
    step: FlowStep, columns: Columns, connector_above: bool, connector_below: bool
) -> float:
    """The drawing height a symbol needs with its free space (and pentagons) above and below."""
    _, h = symbol_size(step, columns)
    above = ROOM + (CONNECTOR + ROOM if connector_above else 0)
    below = ROOM + (CONNECTOR + ROOM if connector_below else 0)
    return above + h + below
