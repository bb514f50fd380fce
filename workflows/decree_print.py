"""The decree's PDF rendered in parts and joined: the decree with its table of contents, then
each annex on its own (one WeasyPrint document at a time, so memory stays that of the largest
annex, not of the whole 144 pages), in parallel processes when configured
(``DECREE_RENDER_PROCESSES``), joined with pypdf.

Page numbers stay those of one document: each annex's page count is known before it is drawn
(its identity page plus its laid-out flowchart pages, :mod:`workflows.flowchart` plans them and
:mod:`workflows.printing` checks they held), so every part is rendered knowing its first page
and the total ("Halaman 57 dari 144"), and the table of contents prints the annexes' first
pages. Should a part come out longer than planned, the plan is corrected and the parts after it
are rendered again: the numbers are never left wrong.
"""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from sop_portal.pdf import html_to_document, render_html, write_pdf

from .decrees import DECREE_TEMPLATE, annex_context, annexed_versions, decree_context, roman
from .documents import identity_pages
from .models import Decree, DocumentSettings, SopVersion
from .printing import fitted_document

ATTEMPTS = 3


@dataclass(frozen=True)
class Part:
    """Where a part sits in the whole: its first page number and the total."""

    first_page: int
    total: int


def _annex_part(decree: Decree, version: SopVersion, index: int, count: int, part: Part, plan=None):
    """The laid-out document of annex ``index`` as a part of the decree."""
    doc = DocumentSettings.load()

    def build(measured):
        if measured is None and plan is not None:
            sop = plan
        else:
            sop = annex_context(decree, version, index, count, doc=doc, measured=measured)
        html = render_html("workflows/documents/_sop_body.html", sop)
        return render_html(
            DECREE_TEMPLATE,
            {"part": part, "annexes": [{"html": html}], "decree": decree, "doc": doc},
        )

    return fitted_document(build)


def _decree_part(decree: Decree, starts: list[int], count: int, part: Part, versions):
    context = decree_context(decree, count)
    context["part"] = {"decree": True, "first_page": part.first_page, "total": part.total}
    context["annexes"] = [
        {
            "index": roman(i),
            "anchor": f"lampiran-{i}",
            "version": version,
            "page": starts[i - 1],
        }
        for i, version in enumerate(versions, 1)
    ]
    context["closing"] = False
    return html_to_document(render_html(DECREE_TEMPLATE, context))


def _render_annex_in_worker(args) -> tuple[int, bytes, int]:
    """A worker process's share: one annex, as PDF bytes and its page count."""
    from django.utils import translation

    decree_id, version_id, index, count, first_page, total = args
    decree = Decree.objects.get(pk=decree_id)
    version = SopVersion.objects.select_related("sop").get(pk=version_id)
    with translation.override("id"):
        document = _annex_part(decree, version, index, count, Part(first_page, total))
        return index, write_pdf(document), len(document.pages)


def render_decree(decree: Decree, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The decree's PDF, rendered in parts (see the module's docstring)."""
    from pypdf import PdfReader, PdfWriter

    versions = annexed_versions(decree)
    count = len(versions)
    doc = DocumentSettings.load()
    plans = [annex_context(decree, v, i, count, doc=doc) for i, v in enumerate(versions, 1)]
    # The identity page, then the flowchart pages the layout planned.
    pages = [identity_pages(p) + len(p["chart"].pages) for p in plans]

    decree_pages = 3
    for _ in range(ATTEMPTS):
        starts, total = _plan(decree_pages, pages)
        head = _decree_part(decree, starts, count, Part(1, total), versions)
        if len(head.pages) == decree_pages:
            break
        decree_pages = len(head.pages)

    for _ in range(ATTEMPTS):
        starts, total = _plan(decree_pages, pages)
        parts, actual = _render_annexes(decree, versions, plans, starts, total, progress)
        if actual == pages:
            break
        pages = actual  # a part came out longer than planned: number again
        starts, part = _toc(decree_pages, pages)
        head = _decree_part(decree, starts, count, part, versions)

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(write_pdf(head))))
    del head
    for i, (data, version) in enumerate(zip(parts, versions, strict=True)):
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)))
        title = f"Lampiran {roman(i + 1)} — {version.name}" if count > 1 else version.name
        writer.add_outline_item(title=title, page_number=first)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _plan(decree_pages: int, pages: list[int]) -> tuple[list[int], int]:
    starts, page = [], decree_pages + 1
    for n in pages:
        starts.append(page)
        page += n
    return starts, page - 1


def _toc(decree_pages: int, pages: list[int]) -> tuple[list[int], Part]:
    starts, total = _plan(decree_pages, pages)
    return starts, Part(1, total)


def _render_annexes(decree, versions, plans, starts, total, progress):
    count = len(versions)
    workers = max(1, settings.DECREE_RENDER_PROCESSES)
    parts: list[bytes] = [b""] * count
    actual: list[int] = [0] * count
    if workers > 1 and count > 1:
        # Forked workers open their own database connections: close ours first so that no
        # socket is shared between processes.
        connections.close_all()
        jobs = [
            (decree.pk, v.pk, i, count, starts[i - 1], total) for i, v in enumerate(versions, 1)
        ]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, count), mp_context=context) as pool:
            for done, (index, data, n) in enumerate(pool.map(_render_annex_in_worker, jobs), 1):
                parts[index - 1], actual[index - 1] = data, n
                if progress:
                    progress(done, count)
        return parts, actual
    for i, version in enumerate(versions, 1):
        document = _annex_part(
            decree, version, i, count, Part(starts[i - 1], total), plan=plans[i - 1]
        )
        parts[i - 1], actual[i - 1] = write_pdf(document), len(document.pages)
        del document  # one laid-out annex in memory at a time
        plans[i - 1] = None
        if progress:
            progress(i, count)
    return parts, actual
