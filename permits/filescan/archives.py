"""Zip-based files (XLSX, DOCX, KMZ, ZIP) judged from their central directory alone, before any
member is decompressed: how many members, how much they say they hold, and how much more that
is than the file itself. A zip bomb (a 1 MB workbook holding a 400 MB sheet) is refused here.

Python's ``zipfile`` never returns more bytes for a member than its directory entry declares
(``ZipExtFile`` stops at ``file_size`` and then checks the CRC), so the declared sizes checked
here also bound what a later reader (openpyxl importing an SOP workbook) can be made to inflate.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings


@dataclass(frozen=True)
class ZipVerdict:
    """What is wrong with an archive's directory: ``problem`` is one of ``"members"``,
    ``"size"``, ``"ratio"`` or ``""`` (nothing), with the figures for the message."""

    problem: str
    members: int
    uncompressed: int
    ratio: float


def zip_limits() -> tuple[int, int, int]:
    """(members, total uncompressed bytes, compression ratio) an archive may reach."""
    return (
        int(settings.UPLOAD_ZIP_MAX_MEMBERS),
        int(settings.UPLOAD_ZIP_MAX_UNCOMPRESSED),
        int(settings.UPLOAD_ZIP_MAX_RATIO),
    )


def inspect_zip(f: IO[bytes], size: int) -> ZipVerdict:
    """Judge the open archive ``f`` of ``size`` bytes by its directory (raises what
    ``zipfile`` raises for a damaged one). Leaves ``f`` wherever zipfile left it."""
    max_members, max_total, max_ratio = zip_limits()
    f.seek(0)
    with zipfile.ZipFile(f) as archive:
        entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    # The ratio of the whole archive and of its worst member: one tiny member inflating
    # a thousandfold is as much a bomb as the whole file doing so.
    ratio = total / max(size, 1)
    worst = max(
        (e.file_size / max(e.compress_size, 1) for e in entries if e.file_size > 1024 * 1024),
        default=0.0,
    )
    ratio = max(ratio, worst)
    problem = ""
    if len(entries) > max_members:
        problem = "members"
    elif total > max_total:
        problem = "size"
    elif ratio > max_ratio:
        problem = "ratio"
    return ZipVerdict(problem, len(entries), total, ratio)
