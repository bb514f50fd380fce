"""Rows to pages: as few pages as the rows need, then as even as they can be, so a page never
holds a lone last row when a better split exists (Permenpan RB 35/2012 asks a flowchart to be
read at a glance; an orphaned row sends the reader to a page for one step)."""

from __future__ import annotations

from collections.abc import Callable


def paginate(
    count: int,
    height: Callable[[int, bool, bool], float],
    capacity: Callable[[int, bool], float],
    cap_rows: int = 0,
) -> list[tuple[int, int]]:
    """Split rows ``0 … count-1`` into pages, each a ``(first, last)`` pair.

    ``height(i, first, last)`` is row ``i``'s height when it is first and/or last on its page
    (a row at a page break makes room for a connector); ``capacity(page_index_is_first,
    holds_last_row)`` the room a page has. Dynamic programming over the break positions:
    fewest pages first, then the smallest sum of squared free space (even pages)."""
    if count == 0:
        return []
    inf = float("inf")
    # best[i] = (pages, cost, previous break) for the rows before i laid out
    best: list[tuple[float, float, int]] = [(0, 0.0, -1)] + [(inf, inf, -1)] * count
    for start in range(count):
        pages, cost, _ = best[start]
        if pages == inf:
            continue
        used = 0.0
        for end in range(start, count):
            if cap_rows and end - start + 1 > cap_rows:
                break
            # the rows strictly inside the page, then the first and last with their variants
            inner = sum(height(i, False, False) for i in range(start + 1, end))
            if end == start:
                used = height(start, True, True)
            else:
                used = height(start, True, False) + inner + height(end, False, True)
            room = capacity(start == 0, end == count - 1)
            if used > room and end > start:
                break
            slack = max(room - used, 0.0)
            candidate = (pages + 1, cost + slack * slack, start)
            if candidate[:2] < best[end + 1][:2]:
                best[end + 1] = candidate
    breaks = []
    i = count
    while i > 0:
        start = best[i][2]
        breaks.append((start, i - 1))
        i = start
    return breaks[::-1]
