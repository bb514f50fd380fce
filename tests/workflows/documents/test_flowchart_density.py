"""Dense flowchart pages, measured on the printed page: every demo SOP (alone and as a decree's
annex) and every stress SOP prints exactly the pages its layout planned, no row split or run
past the page, each page filled until the next row would not fit, no lone last row, and the
SOP's name and number on every continuation page. :func:`workflows.flowchart.pages.paginate`
is tested on its own with rows of known heights."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from workflows.flowchart import LayoutSettings, layout
from workflows.flowchart.model import CONNECTOR, ROOM
from workflows.flowchart.pages import paginate
from workflows.printing import fitted_document

from . import charts, measure

DEMO = charts.demo()
STRESS = charts.stress_cases()
CASES = {**DEMO, **STRESS}
# What the next page's first row may need more at the foot of this page: the pentagon of the
# page break with its free space (CONNECTOR + ROOM), and the plan's few px of safety.
MOVED = CONNECTOR + ROOM + 10
ANNEX = SimpleNamespace(
    index=None,
    number="188.4/40",
    year=2026,
    date="",
    title="Standar Operasional Prosedur Pelayanan Perizinan dan Nonperizinan pada Dinas "
    "Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Tenggara",
)


def _render(name: str, annex: bool = False, orientation: str = "landscape"):
    """The laid-out document of ``name`` and the chart it was last drawn from."""
    performers, steps = CASES[name]
    drawn = []

    def build(measured) -> str:
        settings = LayoutSettings(annex=annex, orientation=orientation)
        drawn.append(layout(performers, steps, settings, measured))
        chart = drawn[-1]
        context = {
            "version": SimpleNamespace(name=f"Uji {name}", number=f"UJI/{name}"),
            "doc": SimpleNamespace(government="PEMERINTAH", unit_name="DINAS"),
            "logo_src": static("img/mark.svg"),
            "annex": ANNEX if annex else None,
            "anchor": f"sop-{name}",
            "orientation": orientation,
            "identity": {"number": f"UJI/{name}", "sections": []},
            "chart": chart,
            "columns": chart.columns,
            "total_time": "9 hari kerja",
            "applicant_time": "15 menit",
        }
        body = render_to_string("workflows/documents/_sop_body.html", context)
        return (
            '<!doctype html><html lang="id"><head><meta charset="utf-8">'
            f'<link rel="stylesheet" href="{static("css/print.css")}"></head>'
            f'<body class="print">{body}</body></html>'
        )

    with translation.override("id"):
        document = fitted_document(build)
    return document, drawn[-1]


def _check_pages(name: str, annex: bool, orientation: str = "landscape") -> list[int]:
    document, chart = _render(name, annex, orientation)
    printed = measure.flow_page_room(document)
    rows = [len(p.rows) for p in printed]

    assert rows == [len(p.rows) for p in chart.pages]  # every row on its planned page, whole
    assert measure.laid_out_rows(document)[0] == []  # every drawing meets its row's border
    if len(rows) > 1:
        assert min(rows) >= 2, rows  # no lone row: the last page borrowed one
    for number, (page, after) in enumerate(zip(printed, printed[1:], strict=False)):
        assert page.free >= 0
        borrowed = number == len(printed) - 2 and len(after.rows) == 2
        if not borrowed:  # else the next page's first row would have fitted here
            # moved up, that row would take the break's pentagon from the row above it
            assert page.free < after.rows[0] + MOVED, (rows, [round(p.free) for p in printed])
    for page in printed[1:]:
        assert f"Uji {name}".upper() in page.continued
        assert f"Nomor SOP: UJI/{name}" in page.continued
    return rows


@pytest.mark.parametrize(
    "annex,orientation",
    [(False, "landscape"), (True, "landscape"), (False, "portrait")],
    ids=["sop", "annex", "portrait"],
)
@pytest.mark.parametrize("name", sorted(DEMO))
def test_every_demo_sop_prints_full_planned_pages(name, annex, orientation):
    rows = _check_pages(name, annex, orientation)

    typical = len(CASES[name][0]) <= 6 and sum(rows) <= 9
    if typical and orientation == "landscape":
        # Alone and as a decree's annex (the annex block set on one line over its flowchart
        # pages): every demo SOP of up to 9 steps is one landscape page of flowchart.
        assert len(rows) == 1, rows


TYPICAL = sorted(name for name, (_, steps) in DEMO.items() if len(steps) <= 9)


def test_the_typical_demo_sops_are_those_of_up_to_nine_steps():
    # 13 of the 21 demo SOPs (5-6 performers, 7-9 steps): the density test above holds each
    # of them to one flowchart page, alone and as an annex.
    assert len(TYPICAL) == 13
    assert all(len(DEMO[name][0]) <= 6 for name in TYPICAL)


@pytest.mark.parametrize("name", sorted(STRESS))
def test_every_stress_sop_prints_full_planned_pages(name):
    _check_pages(name, annex=False)


def _same(heights):
    return lambda i, first, last: heights[i]


def _room(size):
    return lambda first_page, holds_last: size


def test_it_fills_each_page_before_starting_the_next():
    assert paginate(10, _same([10] * 10), _room(45)) == [(0, 3), (4, 7), (8, 9)]


def test_a_lone_last_row_borrows_a_row_from_the_page_before():
    assert paginate(9, _same([10] * 9), _room(40)) == [(0, 3), (4, 6), (7, 8)]


def test_a_row_taller_than_a_page_stands_alone_and_the_rest_still_pair():
    assert paginate(4, _same([10, 100, 10, 10]), _room(40)) == [(0, 0), (1, 1), (2, 3)]


def test_a_row_makes_room_for_the_connector_note_of_an_edge_leaving_its_page():
    # row 0 jumps to row 3: on a page without row 3 it carries a note, 10 px more
    def height(i, first, last):
        return 10 + (10 if i == 0 and last < 3 else 0)

    assert paginate(4, height, _room(30)) == [(0, 1), (2, 3)]
    assert paginate(4, height, _room(40)) == [(0, 3)]


def test_the_last_page_keeps_room_for_the_total_and_a_row_cap_holds():
    def room(first_page, holds_last):
        return 40 - (15 if holds_last else 0)

    assert paginate(6, _same([10] * 6), room) == [(0, 3), (4, 5)]
    assert paginate(6, _same([10] * 6), _room(100), cap_rows=2) == [(0, 1), (2, 3), (4, 5)]
