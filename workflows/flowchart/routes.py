"""Which way each arrow goes: straight down to the next row, along a side lane, or through a
pair of numbered off-page connectors; on which side; in which lane; and the connectors'
numbers in reading order.

Permenpan RB 35/2012 (Lampiran, Bab III, simbol *off-page connector*) pairs a pentagon where
the flow leaves a page with one of the same number where it comes back; numbers are read in
the order they first appear.

Sides are chosen per page by trying them all (a page has few jumps) and keeping the cheapest:
a symbol never takes an arrow in and sends one out on the same side, two jumps whose spans
interleave go on opposite sides (on one side one would have to cross the other), and the right
side is preferred. Within a side, a jump's lane is outside every jump it encloses, so nested
jumps never cross either; only what no choice avoids is left for a bridge.
"""

from __future__ import annotations

import itertools

from .model import Edge, FlowStep

CONFLICT = 1000  # an arrow in and an arrow out on the same side of one symbol
CROSSING = 50  # two jumps on one side whose spans interleave
LEFT = 1  # the right side reads first


def exits(step: FlowStep) -> list[tuple[int, str]]:
    if step.symbol == "decision":
        pairs = [(step.yes_no, "Ya"), (step.no_no, "Tidak")]
    else:
        pairs = [(step.next_no, "")]
    return [(dst, label) for dst, label in pairs if dst is not None]


def edges_of(steps: list[FlowStep]) -> list[Edge]:
    known = {s.no for s in steps}
    return [
        Edge(s.no, dst, label)
        for s in steps
        for dst, label in exits(s)
        if dst in known and dst != s.no
    ]


def _interleave(a: tuple[int, int], b: tuple[int, int]) -> bool:
    (a0, a1), (b0, b1) = a, b
    return a0 < b0 < a1 < b1 or b0 < a0 < b1 < a1


def _span(edge: Edge, order: dict[int, int]) -> tuple[int, int]:
    return tuple(sorted((order[edge.src], order[edge.dst])))


def _cost(chosen: list[tuple[Edge, str]], order, column_of, performers: int) -> float:
    cost = 0.0
    use: dict[tuple[int, str], list[str]] = {}
    for edge, side in chosen:
        use.setdefault((edge.src, side), []).append("out")
        use.setdefault((edge.dst, side), []).append("in")
        if side == "left":
            cost += LEFT
        if edge.kind == "offpage":
            for no in (edge.src, edge.dst):
                col = column_of.get(no)
                if col is None:
                    continue
                if (side == "right" and col == performers - 1) or (side == "left" and col == 0):
                    cost += CONFLICT / 10 if performers > 1 else 0
    for marks in use.values():
        if "in" in marks and "out" in marks:
            cost += CONFLICT
        if marks.count("out") > 1:
            cost += CONFLICT
    lanes = [(e, s) for e, s in chosen if e.kind == "lane"]
    for (a, sa), (b, sb) in itertools.combinations(lanes, 2):
        if sa == sb and _interleave(_span(a, order), _span(b, order)):
            cost += CROSSING
    return cost


def choose_sides(edges: list[Edge], order, column_of, performers: int, limit: int = 12) -> None:
    """Set ``side`` on the lane and side-connector edges of one page (exhaustive search up to
    ``limit`` edges, then greedily one at a time)."""
    sided = [e for e in edges if e.kind == "lane" or (e.kind == "offpage" and e.side != "none")]
    if not sided:
        return
    if len(sided) <= limit:
        best = None
        for sides in itertools.product(("right", "left"), repeat=len(sided)):
            cost = _cost(list(zip(sided, sides, strict=True)), order, column_of, performers)
            if best is None or cost < best[0]:
                best = (cost, sides)
        for edge, side in zip(sided, best[1], strict=True):
            edge.side = side
        return
    chosen: list[tuple[Edge, str]] = []
    for edge in sided:
        side = min(
            ("right", "left"),
            key=lambda s, edge=edge: _cost([*chosen, (edge, s)], order, column_of, performers),
        )
        chosen.append((edge, side))
        edge.side = side


def assign_lanes(edges: list[Edge], order: dict[int, int], side: str) -> int:
    """Lane numbers on one side of one page, innermost 0: shorter jumps first, each outside
    every jump already placed that it overlaps or encloses. Returns the lanes used."""
    chosen = sorted(
        (e for e in edges if e.kind == "lane" and e.side == side),
        key=lambda e: (_span(e, order)[1] - _span(e, order)[0], _span(e, order)),
    )
    placed: list[Edge] = []
    for edge in chosen:
        lo, hi = _span(edge, order)
        below = [p.lane for p in placed if not (_span(p, order)[1] < lo or _span(p, order)[0] > hi)]
        edge.lane = max(below) + 1 if below else 0
        placed.append(edge)
    return max((e.lane for e in placed), default=-1) + 1


def classify(
    edges: list[Edge],
    steps: list[FlowStep],
    order: dict[int, int],
    page_of: dict[int, int],
    column_of: dict[int, int],
    performers: int,
) -> tuple[int, int]:
    """Route every edge for the given pages; returns the lanes used on the left and right."""
    for edge in edges:
        edge.lane, edge.connector, edge.side = None, None, ""
        same_page = page_of[edge.dst] == page_of[edge.src]
        if order[edge.dst] == order[edge.src] + 1:
            edge.kind = "down" if same_page else "offpage"
            if not same_page:
                edge.side = "none"  # the page breaks between them: pentagons below and above
        else:
            edge.kind = "lane" if same_page else "offpage"
    left = right = 0
    for page in sorted(set(page_of.values())):
        mine = [
            e
            for e in edges
            if (e.kind == "lane" and page_of[e.src] == page)
            or (
                e.kind == "offpage"
                and page in (page_of[e.src], page_of[e.dst])
                and e.side != "none"
            )
        ]
        fresh = [e for e in mine if not e.side]
        if fresh:
            choose_sides(fresh, order, column_of, performers)
        left = max(left, assign_lanes(mine, order, "left"))
        right = max(right, assign_lanes(mine, order, "right"))
    for edge in edges:
        if edge.side == "none":
            edge.side = ""
    return left, right


def number_connectors(edges: list[Edge], order, page_of, column_of) -> None:
    """Connector numbers in reading order: by where the pair first appears, page by page, top
    to bottom, then left to right."""

    def first_seen(edge: Edge):
        below = 0.5 if not edge.side else 0.0  # a pentagon under its symbol, or beside it
        src = (page_of[edge.src], order[edge.src] + below, column_of.get(edge.src, 0))
        dst = (page_of[edge.dst], order[edge.dst] - below, column_of.get(edge.dst, 0))
        return min(src, dst)

    offpage = sorted((e for e in edges if e.kind == "offpage"), key=first_seen)
    for number, edge in enumerate(offpage, 1):
        edge.connector = number
