"""Text measured with the font the PDF will be printed in, not guessed: advance widths read
from the font file that fontconfig picks for the documents' family (the same lookup Pango does
for WeasyPrint), and the same greedy word wrap a browser does.

A guess per character was too short for wide glyphs and made rows grow under their drawing;
the widths here come from the glyphs themselves. What is still not known exactly (kerning,
Pango's rounding) is covered by measuring the laid-out document afterwards
(:mod:`workflows.documents` redraws a row that came out taller than planned).
"""

from __future__ import annotations

import functools
import shutil
import subprocess

FAMILY = "Liberation Sans"
# Kerning and hinting make a real line a little narrower or wider than the sum of advances:
# plan as if the line were this much shorter, so a planned line never overflows.
SAFETY = 0.97


@functools.lru_cache(maxsize=4)
def _font_file(bold: bool) -> str | None:
    if not shutil.which("fc-match"):
        return None
    pattern = FAMILY + (":bold" if bold else "")
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


@functools.lru_cache(maxsize=4)
def _advances(bold: bool) -> tuple[dict[int, float], float] | None:
    """Advance widths per code point in em, and the average of the Latin letters."""
    path = _font_file(bold)
    if not path:
        return None
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, lazy=True)
        units = font["head"].unitsPerEm
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        widths = {cp: hmtx[name][0] / units for cp, name in cmap.items() if cp < 0x2100}
        font.close()
    except Exception:  # a font fontTools cannot read: fall back to the estimate below
        return None
    letters = [widths.get(ord(c), 0.55) for c in "abcdefghijklmnopqrstuvwxyz"]
    return widths, sum(letters) / len(letters)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in px of ``text`` at font size ``size`` px."""
    table = _advances(bold)
    if table is None:
        return len(text) * size * (0.62 if bold else 0.58)
    widths, average = table
    return sum(widths.get(ord(c), average) for c in text) * size


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` broken into lines ``width`` px wide at spaces (greedy, like a browser); a word
    longer than the line breaks where it must (``overflow-wrap: break-word``)."""
    return list(_wrap(text or "", round(width, 3), size, bold))


@functools.lru_cache(maxsize=65536)
def _wrap(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    # Memoised: the layout tries several column widths and page splits with the same texts.
    room = width * SAFETY
    space = text_width(" ", size, bold=bold)
    lines: list[str] = []
    for paragraph in (text or "").splitlines() or [""]:
        current, used = "", 0.0
        for word in paragraph.split():
            w = text_width(word, size, bold=bold)
            if current and used + space + w <= room:
                current, used = f"{current} {word}", used + space + w
                continue
            if current:
                lines.append(current)
            current, used = "", 0.0
            while w > room and len(word) > 1:  # only a word wider than the whole line
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold=bold) > room:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                w = text_width(word, size, bold=bold)
            current, used = word, w
        lines.append(current)
    return tuple(lines)


def longest_word(text: str, size: float, *, bold: bool = False) -> float:
    """Width of the widest word of ``text``: a column narrower than this splits a word."""
    return max((text_width(w, size, bold=bold) for w in (text or "").split()), default=0.0)
