"""The flowchart layout, without PDF: columns, symbols, lanes, pages and connectors."""

from workflows.flowchart import FlowPerformer, FlowStep, LayoutSettings, layout

PERFORMERS = [
    FlowPerformer("a", "Pemohon"),
    FlowPerformer("b", "Front Office"),
    FlowPerformer("c", "Kepala"),
]


def _steps(n: int = 6) -> list[FlowStep]:
    steps = [FlowStep(1, "terminator", "a", "Mengajukan", next_no=2)]
    steps.append(FlowStep(2, "decision", "b", "Memeriksa", yes_no=3, no_no=1))
    for no in range(3, n):
        steps.append(FlowStep(no, "process", "bc"[no % 2], f"Langkah {no}", next_no=no + 1))
    steps.append(FlowStep(n, "terminator", "a", "Menyerahkan"))
    return steps


def test_it_puts_each_symbol_centred_in_its_performers_column():
    chart = layout(PERFORMERS, _steps())

    for step in _steps():
        placed = chart.placements[step.no]
        column = [p.key for p in PERFORMERS].index(step.performer)
        assert placed.column == column
        assert placed.x == chart.columns.center(column)
    assert all("<polygon" in row.svg for row in chart.pages[0].rows if row.step.no == 2)


def test_it_routes_a_loop_back_in_a_side_lane_outside_the_columns():
    chart = layout(PERFORMERS, _steps())

    loop = next(e for e in chart.edges if (e.src, e.dst) == (2, 1))
    assert loop.kind == "lane" and loop.label == "Tidak"
    assert loop.side == "right" and loop.lane == 0
    assert chart.columns.lane_right > 0
    down = next(e for e in chart.edges if (e.src, e.dst) == (2, 3))
    assert down.kind == "down" and down.label == "Ya"


def test_it_gives_overlapping_jumps_different_lanes():
    steps = [
        FlowStep(1, "process", "a", next_no=2),
        FlowStep(2, "decision", "b", yes_no=3, no_no=1),
        FlowStep(3, "decision", "c", yes_no=4, no_no=1),
        FlowStep(4, "terminator", "a"),
    ]
    chart = layout(PERFORMERS, steps)

    lanes = {(e.src, e.dst): (e.side, e.lane) for e in chart.edges if e.kind == "lane"}
    assert lanes[(2, 1)] != lanes[(3, 1)]


def test_it_breaks_pages_with_paired_numbered_connectors():
    chart = layout(PERFORMERS, _steps(14), LayoutSettings(rows_per_page=5))

    assert [len(p.rows) for p in chart.pages] == [5, 5, 4]
    assert [c.number for c in chart.connectors] == [1, 2]
    for connector in chart.connectors:
        assert connector.dst_page == connector.src_page + 1
        src_row = next(r for p in chart.pages for r in p.rows if r.step.no == connector.src)
        dst_row = next(r for p in chart.pages for r in p.rows if r.step.no == connector.dst)
        assert f">{connector.number}</text>" in src_row.svg
        assert f">{connector.number}</text>" in dst_row.svg
        assert f"Bersambung ke konektor {connector.number}" in src_row.notes
        assert f"Sambungan dari konektor {connector.number}" in dst_row.notes


def test_it_draws_a_loop_across_pages_with_connectors_not_lanes():
    steps = _steps(8)
    steps[-2] = FlowStep(7, "decision", "b", yes_no=8, no_no=2)
    chart = layout(PERFORMERS, steps, LayoutSettings(rows_per_page=4))

    back = next(e for e in chart.edges if (e.src, e.dst) == (7, 2))
    assert back.kind == "offpage" and back.connector is not None
    assert back.lane is None


def test_it_keeps_the_text_columns_above_their_floors_with_many_performers():
    from workflows.flowchart.columns import FLOORS

    many_performers = [FlowPerformer(f"p{i}", f"Pelaksana {i}") for i in range(10)]
    steps = [FlowStep(i, "process", f"p{i % 10}", next_no=i + 1) for i in range(1, 10)]
    many = layout(many_performers, steps).columns

    for name, floor in FLOORS.items():
        assert getattr(many, name) >= floor - 0.01, name
    assert many.performer >= 40
    assert (
        many.no
        + many.activity
        + many.area
        + many.requirements
        + many.time
        + many.output
        + (many.notes)
        <= LayoutSettings().body_width + 0.01
    )


def test_it_makes_every_row_as_tall_as_its_svg_so_lines_join():
    chart = layout(PERFORMERS, _steps())

    for row in chart.pages[0].rows:
        assert f'height="{row.height:.2f}"' in row.svg
