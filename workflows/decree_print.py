"""The decree's PDF rendered in parts and joined: the decree with its table of contents, then
each annex on its own (one WeasyPrint document at a time, so memory stays that of the largest
annex, not of the whole 144 pages), in parallel processes when configured
(``DECREE_RENDER_PROCESSES``), joined into one tagged PDF/UA document
(:func:`sop_portal.pdf.join_pdfs`: one structure tree, one parent tree). A part whose HTML was
rendered before comes from the cache (:func:`cached_part`).

Page numbers stay those of one document: each annex's page count is known before it is drawn
(its identity page plus its laid-out flowchart pages, :mod:`workflows.flowchart` plans them and
:mod:`workflows.printing` checks they held), so every part is rendered knowing its first page
and the total ("Halaman 57 dari 144"), and the table of contents prints the annexes' first
pages. Should a part come out longer than planned, the plan is corrected and the parts after it
are rendered again: the numbers are never left wrong.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from sop_portal.pdf import html_to_document, join_pdfs, render_html, write_pdf

from .decrees import DECREE_TEMPLATE, annex_context, annexed_versions, decree_context, roman
from .documents import identity_pages
from .models import Decree, DocumentSettings, SopVersion
from .printing import fitted_document

logger = logging.getLogger(__name__)

ATTEMPTS = 3
#: How long a rendered part is kept (:func:`cached_part`).
PART_CACHE_SECONDS = 7 * 24 * 3600
STATIC_INPUTS = ("css/print.css", "img/mark.svg")


def _fingerprint() -> str:
    """What a part's PDF depends on besides its HTML: the static files it links (the print
    stylesheet, the default mark; uploaded logos are inline in the HTML) and WeasyPrint."""
    import weasyprint
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(weasyprint.__version__.encode())
    for name in STATIC_INPUTS:
        digest.update(Path(finders.find(name)).read_bytes())
    return digest.hexdigest()


def cached_part(html: str, render: Callable[[], tuple[bytes, int]]) -> tuple[bytes, int]:
    """The PDF and page count of a part whose first HTML is ``html``: from the cache when the
    same HTML (the same SOP version, annex number, first page and total, stylesheet and
    WeasyPrint) was rendered before, else ``render()``'d and kept. Rendering is deterministic
    (a fitted part is redrawn from measurements of that same first HTML), so a hit is the very
    file a rendering would write: a decree re-rendered after an edit that moves no page renders
    only what changed."""
    key = "decree-part:" + hashlib.sha256((_fingerprint() + html).encode()).hexdigest()
    hit = _cache_call(cache.get, key)
    if hit is not None:
        return hit
    result = render()
    _cache_call(cache.set, key, result, PART_CACHE_SECONDS)
    return result


def _cache_call(method, *args):
    """A cache read or write that never fails a rendering: with the cache down, parts are
    simply rendered (and the cause logged)."""
    try:
        return method(*args)
    except Exception:  # the cache is an optimisation; Redis down must not stop a decree
        logger.warning("decree part cache unavailable", exc_info=True)
        return None


@dataclass(frozen=True)
class Part:
    """Where a part sits in the whole: its first page number and the total."""

    first_page: int
    total: int


def _annex_part(
    decree: Decree, version: SopVersion, index: int, count: int, part: Part, plan=None
) -> tuple[bytes, int]:
    """Annex ``index`` as a part of the decree: its PDF and its page count."""
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

    first = build(None)
    return cached_part(first, lambda: _written(fitted_document(build, first=first)))


def _written(document) -> tuple[bytes, int]:
    return write_pdf(document), len(document.pages)


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
    html = render_html(DECREE_TEMPLATE, context)
    return cached_part(html, lambda: _written(html_to_document(html)))


def render_part(job: tuple) -> tuple[int, bytes, int]:
    """One annex of a decree as a part (a worker process's or a Celery task's share): its PDF
    bytes and page count, left in the part cache. ``job`` is a :func:`part_jobs` entry:
    ``(decree_id, version_id, index, count, first_page, total)``."""
    from django.utils import translation

    decree_id, version_id, index, count, first_page, total = job
    decree = Decree.objects.get(pk=decree_id)
    version = SopVersion.objects.select_related("sop").get(pk=version_id)
    with translation.override("id"):
        data, pages = _annex_part(decree, version, index, count, Part(first_page, total))
        return index, data, pages


_render_annex_in_worker = render_part  # the forked pool's entry point


@dataclass
class _Layout:
    """Where every part of a decree goes: the annexed versions, their plans and page counts,
    the head's page count (laid out, or as last rendered) and the head's part once rendered."""

    versions: list
    plans: list
    pages: list[int]
    decree_pages: int
    head: tuple[bytes, int]


def _layout(decree: Decree) -> _Layout:
    versions = annexed_versions(decree)
    count = len(versions)
    doc = DocumentSettings.load()
    plans = [annex_context(decree, v, i, count, doc=doc) for i, v in enumerate(versions, 1)]
    # The identity page, then the flowchart pages the layout planned.
    pages = [identity_pages(p) + len(p["chart"].pages) for p in plans]

    # The head's length as last rendered: a good first guess, so it is laid out once.
    remembered = f"decree-head-pages:{decree.pk}:{count}"
    decree_pages = _cache_call(cache.get, remembered) or 3
    for _ in range(ATTEMPTS):
        starts, total = _plan(decree_pages, pages)
        head = _decree_part(decree, starts, count, Part(1, total), versions)
        if head[1] == decree_pages:
            break
        decree_pages = head[1]
    _cache_call(cache.set, remembered, decree_pages, PART_CACHE_SECONDS)
    return _Layout(versions, plans, pages, decree_pages, head)


def part_jobs(decree: Decree) -> list[tuple]:
    """The annex parts of ``decree`` as :func:`render_part` jobs, numbered as the decree will
    be (the head is laid out to know its length, and cached): rendered ahead, each lands in
    the part cache under the very HTML :func:`render_decree` will ask for."""
    plan = _layout(decree)
    starts, total = _plan(plan.decree_pages, plan.pages)
    count = len(plan.versions)
    return [
        (decree.pk, v.pk, i, count, starts[i - 1], total) for i, v in enumerate(plan.versions, 1)
    ]


def prepare_parts(decree_id: int) -> int:
    """Queue a :func:`render_part` task per annex of decree ``decree_id`` (the decree's
    composition changed): by the time the decree is rendered or signed its parts are in the
    part cache, and :func:`render_decree` only lays out its head and joins. Returns how many
    were queued (none for a decree deleted meanwhile or without annexes)."""
    from sop_portal import tasking

    from .tasks import render_decree_part

    decree = Decree.objects.filter(pk=decree_id).first()
    if decree is None:
        return 0
    from django.utils import translation

    with translation.override("id"):
        jobs = part_jobs(decree)
    return tasking.enqueue_many(render_decree_part, jobs)


def render_decree(decree: Decree, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The decree's PDF, rendered in parts (see the module's docstring)."""
    plan = _layout(decree)
    versions, plans, pages, decree_pages, head = (
        plan.versions,
        plan.plans,
        plan.pages,
        plan.decree_pages,
        plan.head,
    )
    count = len(versions)
    for _ in range(ATTEMPTS):
        starts, total = _plan(decree_pages, pages)
        parts, actual = _render_annexes(decree, versions, plans, starts, total, progress)
        if actual == pages:
            break
        pages = actual  # a part came out longer than planned: number again
        starts, part = _toc(decree_pages, pages)
        head = _decree_part(decree, starts, count, part, versions)

    outline = [
        (f"Lampiran {roman(i)} — {version.name}" if count > 1 else version.name, start - 1)
        for i, (version, start) in enumerate(zip(versions, starts, strict=True), 1)
    ]
    return join_pdfs([head[0], *parts], outline)


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
        parts[i - 1], actual[i - 1] = _annex_part(
            decree, version, i, count, Part(starts[i - 1], total), plan=plans[i - 1]
        )  # one laid-out annex in memory at a time
        plans[i - 1] = None
        if progress:
            progress(i, count)
    return parts, actual
