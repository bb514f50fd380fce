"""Benchmark of the Governor's decree PDF with 40 SOP annexes: render time and peak memory of
the portal's renderer (annexes rendered apart and joined, ``workflows.decree_print``), next to
the same decree rendered as one WeasyPrint document, and next to the floor: WeasyPrint
rendering the same number of plain pages, in the same run. "Cold" starts from an empty cache
(every part rendered); "warm" renders the same decree again, its parts found in the cache
(what a re-rendering after an edit that moves no page costs); "cold, 2 processes" forks two
workers for the parts; "parts prepared" is what the Celery workers do once the decree's
composition changes (a task per annex part, two workers here), and "decree, parts prepared"
the rendering that follows, which lays out only the head and joins. Wall seconds and CPU seconds
(this process and its workers): on a shared machine the CPU time is the steadier figure.

    .venv/bin/python bench/decree.py [--annexes 40] [--url postgres://…/sop_portal_bench_decree]

Each rendering runs in its own forked process so that its peak resident memory
(``ru_maxrss``) is its own; the database is dropped and created again (never point it at a
real one). Target: within 1.3× of the floor and under 400 MB.
"""

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import fresh_database  # noqa: E402


def setup(url: str) -> None:
    fresh_database(url)
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def build_decree(annexes: int):
    """A decree annexing ``annexes`` published SOP versions: the demo ones, then copies of
    them under other service codes."""
    import copy

    from permits.interchange import import_document
    from permits.seed.catalogue import read_document, seed_files
    from workflows import decrees
    from workflows.models import SopVersion

    published = list(SopVersion.objects.filter(status="published").order_by("sop__code"))
    docs = [read_document(p) for p in seed_files()]
    round_ = 1
    while len(published) < annexes:
        for doc in docs:
            if len(published) >= annexes:
                break
            twin = copy.deepcopy(doc)
            twin["service"]["code"] = f"{doc['service']['code']}-{round_}"
            import_document(twin, publish=True)
            published = list(SopVersion.objects.filter(status="published").order_by("sop__code"))
        round_ += 1
    return decrees.new_decree(
        year=2026, number="188.4/40", annexes=published[:annexes], copy_mark=True
    )


def _cpu() -> float:
    """CPU seconds of this process and its finished children: on a shared machine the wall
    time also counts other people's work, the CPU time does not."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(target, queue, *args) -> None:
    start, cpu = time.perf_counter(), _cpu()
    pages = target(*args)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB
    queue.put((seconds, peak, pages, cpu))


def in_child(target, *args):
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_run, args=(target, queue, *args))
    process.start()
    result = queue.get()
    process.join()
    return result


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_parts(decree_id: int) -> int:
    from django.utils import translation

    from workflows import decrees
    from workflows.models import Decree

    with translation.override("id"):
        return _pages(decrees.decree_pdf(Decree.objects.get(pk=decree_id)))


def render_parallel(decree_id: int, processes: int) -> int:
    """The cold decree with its annexes rendered by ``processes`` forked workers."""
    from django.test.utils import override_settings

    with override_settings(DECREE_RENDER_PROCESSES=processes):
        return render_parts(decree_id)


def prepare_parts(decree_id: int, workers: int) -> int:
    """What the Celery workers do when the decree's composition changes
    (``prepare_decree_parts`` then one ``render_decree_part`` per annex), with ``workers``
    processes taking the part tasks: the parts land in the part cache. Returns the parts'
    pages."""
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections
    from django.utils import translation

    from workflows import decree_print
    from workflows.models import Decree

    with translation.override("id"):
        jobs = decree_print.part_jobs(Decree.objects.get(pk=decree_id))
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return sum(pages for _, _, pages in pool.map(decree_print.render_part, jobs))


def render_whole(decree_id: int) -> int:
    from django.utils import translation

    from sop_portal.pdf import html_to_pdf
    from workflows import decrees
    from workflows.models import Decree

    with translation.override("id"):
        return _pages(html_to_pdf(decrees.decree_html(Decree.objects.get(pk=decree_id))))


def render_plain(pages: int) -> int:
    from sop_portal.pdf import html_to_pdf

    body = "".join(
        f'<section style="break-before: page"><h1>Halaman {i}</h1><p>'
        + "Teks biasa satu halaman. " * 40
        + "</p></section>"
        for i in range(pages)
    )
    style = "<style>@page { size: A4 landscape }</style>"
    html = f"<!doctype html><html><head>{style}</head><body>{body}</body></html>"
    return _pages(html_to_pdf(html))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annexes", type=int, default=40)
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sop_portal_bench_decree"
        ),
    )
    parser.add_argument("--whole", action="store_true", help="also render as one document")
    parser.add_argument(
        "--processes", type=int, default=1, help="DECREE_RENDER_PROCESSES for the parts"
    )
    args = parser.parse_args()
    os.environ["DECREE_RENDER_PROCESSES"] = str(args.processes)
    setup(args.url)
    fresh_cache()
    from unittest import mock

    # The bench drives (and times) the parts' preparation itself: no messages to a broker.
    with mock.patch("sop_portal.tasking.enqueue", return_value=True):
        decree = build_decree(args.annexes)

    cold = in_child(render_parts, decree.pk)  # forked workers' memory is their own
    floor = in_child(render_plain, cold[2])
    warm = in_child(render_parts, decree.pk)  # the parts cold left in the cache
    rows = [
        ("plain pages (floor)", floor),
        ("decree, cold (no cache)", cold),
        ("decree, warm (parts cached)", warm),
    ]
    fresh_cache()
    rows.append(("decree, cold, 2 processes", in_child(render_parallel, decree.pk, 2)))
    fresh_cache()
    rows.append(("parts prepared, 2 workers", in_child(prepare_parts, decree.pk, 2)))
    rows.append(("decree, parts prepared", in_child(render_parts, decree.pk)))
    if args.whole:
        rows.append(("decree, one document", in_child(render_whole, decree.pk)))
    print(f"{args.annexes} annexes, {args.processes} process(es) for the parts")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'rendering':28} {'pages':>6} {'seconds':>8} {'× floor':>8} {'cpu s':>7} "
        f"{'× floor':>8} {'peak MB':>8}"
    )
    for name, (seconds, peak, pages, cpu) in rows:
        print(
            f"{name:28} {pages:6d} {seconds:8.2f} {seconds / floor[0]:8.2f} {cpu:7.2f} "
            f"{cpu / floor[3]:8.2f} {peak:8.0f}"
        )


def fresh_cache() -> None:
    """A cache of this run's own (a key prefix nobody used), so that "cold" renders every part:
    the rendered parts are cached by their HTML (``workflows.decree_print.cached_part``)."""
    import uuid

    from django.conf import settings
    from django.test.utils import override_settings

    default = settings.CACHES["default"]
    prefix = f"bench-decree-{uuid.uuid4().hex}"
    override_settings(CACHES={"default": {**default, "KEY_PREFIX": prefix}}).enable()


if __name__ == "__main__":
    main()
