"""The decree rendered in parts and joined: one tagged PDF/UA document (one structure tree
over every page), and parts whose HTML did not change taken from the cache, not redrawn."""

import io
from datetime import date

import pikepdf
import pytest

from tests.factories import ServiceFactory
from workflows import decree_print, decrees

from .conftest import build_long_sop, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def decree(eko, small_sop):
    long_sop = build_long_sop(ServiceFactory(code="PANJANG"), steps=14)
    return decrees.new_decree(
        year=2026,
        number="188.4/77",
        signed_on=date(2026, 3, 2),
        annexes=[small_sop, long_sop],
        by=eko,
    )


def _elements(node):
    """Every structure element under ``node``."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_the_joined_decree_stays_one_tagged_document(decree):
    with pikepdf.open(io.BytesIO(decrees.decree_pdf(decree))) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked and str(root.Lang) == "id"
        assert root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as meta:
            assert "pdfuaid:part" in str(meta) or meta.get("pdfuaid:part") == "1"
        tree = root.StructTreeRoot
        roots = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)]
        assert sum(o.get("/Type") == "/StructTreeRoot" for o in roots) == 1

        (document,) = tree.K
        assert document.S == "/Document"
        parts = [kid for kid in document.K if kid.get("/S") == "/Part"]
        assert len(parts) == 2  # one per annex, after the decree's own elements

        # Every page's marked content and every link resolve through the one parent tree …
        nums = list(tree.ParentTree.Nums)
        keys = [int(k) for k in nums[::2]]
        assert keys == sorted(set(keys))
        for page in pdf.pages:
            assert int(page.obj.StructParents) in keys
            for annot in page.obj.get("/Annots", ()):
                if "/StructParent" in annot:
                    assert int(annot.StructParent) in keys
        # … and every element points at a page of this document, the annexes' pages included.
        pages = {page.objgen for page in pdf.pages}
        used = {e.Pg.objgen for e in _elements(tree) if "/Pg" in e}
        assert used <= pages
        assert len(used) == len(pages)


def _count_renderings(monkeypatch) -> dict:
    """How many annexes (fitted SOP documents) and heads WeasyPrint lays out from now on."""
    counts = {"annexes": 0, "heads": 0}
    fitted, plain = decree_print.fitted_document, decree_print.html_to_document

    def count_fitted(*args, **kwargs):
        counts["annexes"] += 1
        return fitted(*args, **kwargs)

    def count_plain(html):
        counts["heads"] += 1
        return plain(html)

    monkeypatch.setattr(decree_print, "fitted_document", count_fitted)
    monkeypatch.setattr(decree_print, "html_to_document", count_plain)
    return counts


def test_an_unchanged_part_is_taken_from_the_cache(decree, monkeypatch):
    first = pdf_pages(decrees.decree_pdf(decree))

    counts = _count_renderings(monkeypatch)
    assert pdf_pages(decrees.decree_pdf(decree)) == first
    assert counts == {"annexes": 0, "heads": 0}  # the same HTML, the same PDF: nothing drawn

    # The copies list prints on the decree's head only: the annexes stay as they were.
    decrees.update_decree(decree, {"tembusan": ["Menteri Dalam Negeri di Jakarta."]})
    again = pdf_pages(decrees.decree_pdf(decree))
    assert counts == {"annexes": 0, "heads": 1}
    assert "Menteri Dalam Negeri di Jakarta." in " ".join(again[:4])
    assert again[-1] == first[-1]

    # An edited annex is drawn again.
    decrees.update_decree(decree, {"title": "Standar Operasional Prosedur Uji"})
    pdf_pages(decrees.decree_pdf(decree))
    assert counts["annexes"] == 2


def test_parts_prepared_ahead_leave_only_the_head_to_render(
    decree, monkeypatch, django_capture_on_commit_callbacks
):
    from sop_portal.celery import app
    from workflows import tasks

    # A worker takes the tasks (the suite's autouse _eager_celery resets this after the test).
    app.conf.task_always_eager = False
    queued = []
    monkeypatch.setattr(
        "sop_portal.tasking.enqueue", lambda task, *args: queued.append((task, args)) or True
    )
    # A change of the decree's composition queues its preparation once it commits …
    with django_capture_on_commit_callbacks(execute=True):
        decrees.update_decree(decree, {"title": "Standar Operasional Prosedur Disiapkan"})
    assert queued == [(tasks.prepare_decree_parts, (decree.pk,))]

    # … which queues one task per annex part, numbered as the decree will be.
    queued.clear()
    assert decree_print.prepare_parts(decree.pk) == 2
    assert [task for task, _ in queued] == [tasks.render_decree_part] * 2
    for _, job in queued:  # a worker renders each into the part cache
        tasks.render_decree_part(*job)

    counts = _count_renderings(monkeypatch)
    pages = pdf_pages(decrees.decree_pdf(decree))
    assert counts == {"annexes": 0, "heads": 0}  # every part was ready, the head too
    starts = [job[4] for _, job in queued]
    assert len(pages) == queued[-1][1][5]  # the total the parts were numbered with
    assert "LAMPIRAN I KEPUTUSAN" in pages[starts[0] - 1]
    assert "LAMPIRAN II KEPUTUSAN" in pages[starts[1] - 1]


def test_preparing_a_deleted_decree_queues_nothing(decree, eko):
    pk = decree.pk
    decrees.delete_decree(decree, by=eko)
    assert decree_print.prepare_parts(pk) == 0
