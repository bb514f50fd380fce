"""Rows per flowchart page and the room left under each, per demo SOP, alone and as an annex:
``python bench/flowchart_density.py [sop|annex|both] [CODE ...]`` (needs the demo seeded)."""

import os
import statistics
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
sys.path.insert(0, os.getcwd())
import django

django.setup()
from django.utils import translation  # noqa: E402

from permits.models import Service  # noqa: E402
from workflows import documents  # noqa: E402
from workflows.documents import AnnexHeader  # noqa: E402


def walk(b):
    yield b
    for c in getattr(b, "children", ()):
        yield from walk(c)


def cls(b):
    e = getattr(b, "element", None)
    return set((e.get("class") or "").split()) if e is not None else set()


def pages_info(doc):
    from weasyprint.formatting_structure.boxes import TableRowBox

    out = []
    for page in doc.pages:
        pb = page._page_box
        bottom_limit = pb.content_box_y() + pb.height
        rows = [b for b in walk(pb) if isinstance(b, TableRowBox) and "step" in cls(b)]
        if not rows:
            continue
        used = max(
            b.position_y + b.margin_height() for b in walk(pb) if cls(b) & {"flow", "flow-key"}
        )
        out.append((len(rows), round(bottom_limit - used, 1)))
    return out


TITLE = (
    "STANDAR OPERASIONAL PROSEDUR PELAYANAN PERIZINAN DAN NONPERIZINAN PADA DINAS PENANAMAN "
    "MODAL DAN PELAYANAN TERPADU SATU PINTU PROVINSI SULAWESI TENGGARA"
)
mode = sys.argv[1] if len(sys.argv) > 1 else "both"
only = sys.argv[2:]
summary = {"sop": [], "annex": []}
for service in Service.objects.select_related("sop").order_by("code"):
    v = service.sop.published_version if service.sop else None
    if v is None or (only and service.code not in only):
        continue
    line = [f"{service.code:24}"]
    for kind in ("sop", "annex"):
        if mode not in ("both", kind):
            continue
        extra = (
            {}
            if kind == "sop"
            else {
                "annex": AnnexHeader(
                    "188.4/40",
                    2026,
                    "",
                    TITLE,
                    index=1,
                )
            }
        )
        with translation.override("id"):
            doc, ctx = documents.fitted_sop(v, **extra)
        info = pages_info(doc)
        planned = [len(p.rows) for p in ctx["chart"].pages]
        ok = planned == [n for n, _ in info]
        summary[kind].append([n for n, _ in info])
        line.append(
            f"{kind}: rows={[n for n, _ in info]} free_px={[f for _, f in info]} planned_ok={ok}"
        )
    print("  ".join(line), flush=True)
for kind, lists in summary.items():
    if not lists:
        continue
    flat = [n for per_sop in lists for n in per_sop]
    pages = [len(per_sop) for per_sop in lists]
    print(
        kind,
        "rows/page min/median/max",
        min(flat),
        statistics.median(flat),
        max(flat),
        "pages/SOP min/median/max",
        min(pages),
        statistics.median(pages),
        max(pages),
        "2+ pages",
        sum(p > 1 for p in pages),
        "lone-row pages",
        sum(n == 1 for n in flat),
    )
