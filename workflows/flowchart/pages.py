"""Rows to pages: as few pages as the rows need, no page holding a lone row when a split
without one exists, and each page then filled as far as the rows really fit, first page first
(Permenpan RB 35/2012 asks a flowchart to be read at a glance: a full sheet shows as many steps
as it can hold, and an orphaned last row sends the reader to a page for one step).

Where a lone row is unavoidable (a row as tall as a page, or a one-step chart) it stays."""

from __future__ import annotations

from collections.abc import Callable


def paginate(
    count: int,
    height: Callable[[int, bool, bool], float],
    capacity: Callable[[int, bool], float],
    cap_rows: int = 0,
) -> list[tuple[int, int]]:
    """Split rows ``0 … count-1`` into pages, each a ``(first, last)`` pair.

    ``height(i, first, last)`` is row ``i``'s height on a page of rows ``first … last`` (a row
    makes room for the connectors, and their notes, of the edges that leave that page);
    ``capacity(page_index_is_first, holds_last_row)`` the room a page has; ``cap_rows`` an
    optional limit of rows per page.

    Dynamic programming from the end: ``best[i]`` is the fewest pages, then the fewest pages
    of one row, that rows ``i …`` need. The split is then read from the front, each page taking
    the most rows that still leave the rest that best: pages are full, and the rows a lone
    last row would have needed are borrowed from the page before."""
    if count == 0:
        return []

    # ends[start]: the last rows a page starting at ``start`` can end on. Every end is tried
    # (the row closing a page may need room for a connector the next row would not) until
    # the rows' least heights alone are more than any page holds.
    least = [height(i, 0, count - 1) for i in range(count)]  # no connectors at all
    most = max(capacity(True, False), capacity(False, False))
    ends: list[list[int]] = []
    for start in range(count):
        ok, floor = [start], least[start]  # a row taller than a page gets a page of its own
        for end in range(start + 1, count):
            floor += least[end]
            if (cap_rows and end - start + 1 > cap_rows) or floor > most:
                break
            used = sum(height(i, start, end) for i in range(start, end + 1))
            if used <= capacity(start == 0, end == count - 1):
                ok.append(end)
        ends.append(ok)

    inf = (float("inf"), float("inf"))
    best: list[tuple[float, float]] = [inf] * count + [(0, 0)]
    for start in range(count - 1, -1, -1):
        for end in ends[start]:
            pages, lone = best[end + 1]
            candidate = (pages + 1, lone + (end == start and count > 1))
            best[start] = min(best[start], candidate)

    breaks: list[tuple[int, int]] = []
    start = 0
    while start < count:
        pages, lone = best[start]
        end = max(
            e
            for e in ends[start]
            if (best[e + 1][0] + 1, best[e + 1][1] + (e == start and count > 1)) == (pages, lone)
        )
        breaks.append((start, end))
        start = end + 1
    return breaks
