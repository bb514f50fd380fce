"""The printed flowchart measured, for every demo SOP and for stress SOPs: lines meet at every
row border whatever the text height, no two lines cross, no label lies over a symbol, a line
or another label, connector numbers read in order, no header word is split, no page holds a
lone row (density: test_flowchart_density). Geometry is read back from the SVG the layout
prints (``measure.drawing``), row and header boxes from WeasyPrint's own layout of the
document (``measure.laid_out_rows``)."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from workflows.flowchart import LayoutSettings, layout
from workflows.printing import fitted_document

from . import charts, measure

DEMO = charts.demo()
STRESS = charts.stress_cases()
CASES = {**DEMO, **STRESS}


def _chart(name: str, orientation: str = "landscape", measured=None):
    performers, steps = CASES[name]
    with translation.override("id"):
        return layout(performers, steps, LayoutSettings(orientation=orientation), measured)


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_line_crosses_no_label_overlaps_connectors_read_in_order(name, orientation):
    chart = _chart(name, orientation)
    pages = measure.drawing(chart)

    assert measure.crossings(pages) == []
    assert measure.label_overlaps(pages) == []
    assert measure.connector_order(pages) == []
    assert chart.bridges == 0  # every crossing was avoidable by the choice of sides
    for page in chart.pages:
        for row in page.rows:
            assert f'height="{row.height:.2f}"' in row.svg


def test_the_measures_do_find_what_they_look_for():
    """The measures are not empty promises: a drawing with a crossing, a label on a symbol and
    connectors out of order is caught."""
    bad = measure.Drawing(page=0)
    bad.lines = [[(10, 0), (10, 100)], [(0, 50), (40, 50)]]
    bad.shapes = [[(100, 100), (140, 100), (140, 120), (100, 120)]]
    bad.labels = [("Tidak", (110, 105, 130, 112))]
    bad.connectors = [(10, 5, 2), (90, 5, 1)]

    assert len(measure.crossings([bad])) == 1
    assert any("over a symbol" in f for f in measure.label_overlaps([bad]))
    assert measure.connector_order([bad]) == ["connector numbers read [2, 1]"]


def _html(name: str, orientation: str, measured) -> str:
    chart = _chart(name, orientation, measured)
    steps = sum(len(p.rows) for p in chart.pages)
    context = {
        "version": SimpleNamespace(name=f"Uji {name}", number="UJI/1"),
        "doc": SimpleNamespace(government="PEMERINTAH", unit_name="DINAS"),
        "logo_src": static("img/mark.svg"),
        "annex": None,
        "anchor": f"sop-{name}",
        "orientation": orientation,
        "identity": {"number": "UJI/1", "sections": []},
        "chart": chart,
        "columns": chart.columns,
        "total_time": f"{steps} hari kerja",
        "applicant_time": "15 menit",
    }
    body = render_to_string("workflows/documents/_sop_body.html", context)
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{static("css/print.css")}"></head>'
        f'<body class="print">{body}</body></html>'
    )


RENDERED = ["DISHUT-PBPHH", "DISHUB-AKDP", "DLH-PERTEK", "DISNAKER-IMTA", *sorted(STRESS)]


@pytest.mark.parametrize(
    "name,orientation",
    [(n, "landscape") for n in RENDERED] + [("DISHUB-AKDP", "portrait")],
)
def test_every_row_drawing_meets_the_row_border_and_no_header_word_splits(name, orientation):
    with translation.override("id"):
        document = fitted_document(lambda m: _html(name, orientation, m))

    faults, gaps = measure.laid_out_rows(document)
    assert faults == []
    assert gaps and max(abs(g) for g in gaps) <= 0.05
    assert measure.header_splits(document) == []
    chart_pages = len(_chart(name, orientation).pages)
    assert len(measure.flow_pages(document)) == chart_pages + 0  # no planned page spilled


@pytest.mark.parametrize("name", sorted(DEMO))
def test_a_typical_sop_fits_one_page_and_no_page_holds_a_lone_row(name):
    chart = _chart(name)
    rows = [len(p.rows) for p in chart.pages]

    if sum(rows) <= 9 and len(chart.performers) <= 6:
        assert rows == [sum(rows)]
    if len(rows) > 1:
        assert min(rows) >= 2, rows


@pytest.mark.parametrize("name", sorted(STRESS))
def test_long_stress_sops_hold_no_lone_row_with_their_titles_in_short_labels(name):
    chart = _chart(name)
    rows = [len(p.rows) for p in chart.pages]

    assert min(rows) >= 2, rows  # pages full first (test_flowchart_density), none of one row
    assert chart.key and all(p.short for p in chart.key)


def test_a_two_performer_step_spans_both_columns():
    performers, steps = STRESS["8-performers-20-steps"]
    chart = _chart("8-performers-20-steps")
    shared = next(s for s in steps if s.also)
    placed = chart.placements[shared.no]
    columns = [p.key for p in performers]
    first, last = sorted(columns.index(k) for k in shared.performers)

    assert placed.columns and set(placed.columns) == {first, last}
    assert placed.x - placed.width / 2 < chart.columns.center(first)
    assert placed.x + placed.width / 2 > chart.columns.center(last)
