"""Printing an SOP so that its drawing fits the table as WeasyPrint really lays it out: render,
measure every flowchart row and header, and when a row came out taller than planned (a text
cell the font metrics under-estimated) draw the chart again with the measured heights. Lines
then always meet the next row's lines; the check costs nothing when the plan was right (the
laid-out document is the one written)."""

from __future__ import annotations

from collections.abc import Callable

from sop_portal.pdf import html_to_document, write_pdf

from .flowchart import Measured

TOLERANCE = 0.05  # px
ATTEMPTS = 3


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def measure(document, previous: Measured | None = None) -> Measured | None:
    """What the plan got wrong in ``document``: the drawing height each too-tall row needs and
    the header's real height when rows spilled onto an extra page; None when all fits."""
    from weasyprint.formatting_structure.boxes import ReplacedBox, TableRowBox

    rows = dict(previous.rows) if previous else {}
    header = previous.header if previous else 0.0
    wrong = False
    planned_page: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for box in _walk(page._page_box):
            if not isinstance(box, TableRowBox) or "step" not in _classes(box):
                continue
            plan = box.element.get("data-page")
            if plan is not None and planned_page.setdefault(plan, number) != number:
                wrong = True  # the planned page did not hold its rows
                header += 24
            cell = next((c for c in box.children if "flow-cell" in _classes(c)), None)
            svg = (
                next((b for b in _walk(cell) if isinstance(b, ReplacedBox)), None) if cell else None
            )
            if svg is None:
                continue
            drawn = svg.margin_height()
            gap = box.height - (drawn + cell.border_top_width + cell.border_bottom_width)
            if gap > TOLERANCE:
                no = int(box.element.get("data-no"))
                rows[no] = max(rows.get(no, 0.0), drawn + gap)
                wrong = True
    return Measured(rows=rows, header=header) if wrong else None


def fitted_document(build: Callable[[Measured | None], str], first: str | None = None):
    """The laid-out document of ``build(measured)``, redrawn until the drawing fits
    (``first``: ``build(None)`` when the caller has it already)."""
    measured = None
    document = html_to_document(first if first is not None else build(None))
    for _ in range(ATTEMPTS - 1):
        measured = measure(document, measured)
        if measured is None:
            break
        document = html_to_document(build(measured))
    return document


def fitted_pdf(build: Callable[[Measured | None], str]) -> bytes:
    return write_pdf(fitted_document(build))
