"""The Governor's decree: texts, annexes, its one PDF, background rendering and access."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ServiceFactory, build_sop_version
from workflows import decrees
from workflows.models import Decree, RenderedDocument

from .conftest import build_long_sop, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def decree(eko):
    return decrees.new_decree(year=2026, number="188.4/123", signed_on=date(2026, 3, 2), by=eko)


@pytest.fixture
def annexed(decree, small_sop, eko):
    long_sop = build_long_sop(ServiceFactory(code="PANJANG"), steps=14)
    decrees.set_annexes(decree, [small_sop, long_sop], by=eko)
    return [small_sop, long_sop]


def test_it_starts_from_indonesian_texts(decree):
    assert decree.menimbang[0].startswith("bahwa")
    assert decree.menimbang[-1].startswith(
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b"
    )
    assert any("Undang-Undang Nomor 25 Tahun 2009" in law for law in decree.mengingat)
    assert decree.place == "Kendari"
    assert [decrees.dictum_label(i) for i in range(3)] == ["KESATU", "KEDUA", "KETIGA"]


def test_it_refuses_a_draft_sop_as_annex(decree, akdp, eko):
    draft = build_sop_version(akdp, publish=False)

    with pytest.raises(ValidationError):
        decrees.set_annexes(decree, [draft], by=eko)
    assert not decree.annexes.exists()


def test_it_prints_the_decree_with_a_table_of_contents_that_finds_each_annex(decree, annexed):
    pages = pdf_pages(decrees.decree_pdf(decree))
    flat = [" ".join(p.split()) for p in pages]

    first = flat[0]
    for expected in (
        "KEPUTUSAN GUBERNUR SULAWESI TENGGARA",
        "NOMOR 188.4/123 TAHUN 2026",
        "TENTANG",
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "GUBERNUR SULAWESI TENGGARA,",
        "Menimbang",
    ):
        assert expected in first
    body = " ".join(flat)
    assert "MEMUTUSKAN:" in body and "KESATU" in body and "KEEMPAT" in body
    assert "Ditetapkan di Kendari pada tanggal 2 Maret 2026" in body

    toc_index = next(i for i, page in enumerate(flat) if "DAFTAR LAMPIRAN" in page)
    toc = flat[toc_index]
    for roman, version in zip(["I", "II"], annexed, strict=True):
        match = re.search(
            rf"{roman}\. {re.escape(version.name)} \({re.escape(version.number)}\) (\d+)", toc
        )
        assert match, toc
        start = int(match.group(1)) - 1
        assert f"LAMPIRAN {roman} KEPUTUSAN GUBERNUR SULAWESI TENGGARA" in flat[start]
        assert version.name.upper() in flat[start]
        if start > 0:
            assert f"LAMPIRAN {roman} KEPUTUSAN" not in flat[start - 1]
    # The annex block rides on every page of the annexes.
    for page in flat[toc_index + 1 :]:
        assert "NOMOR : 188.4/123 TAHUN 2026" in page
        assert "TANGGAL : 2 Maret 2026" in page


def test_it_renders_in_the_background_once_per_set_of_inputs(
    decree, annexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = decrees.request_rendering(decree=decree)
    job.refresh_from_db()
    assert job.status == RenderedDocument.Status.DONE
    assert (job.done, job.total) == (2, 2)
    assert job.pages > 5 and job.file

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = decrees.request_rendering(decree=decree)
    assert again.pk == job.pk and not callbacks

    Decree.objects.filter(pk=decree.pk).update(title="Judul Baru")
    decree.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        changed = decrees.request_rendering(decree=decree)
    assert changed.pk != job.pk


def test_it_leaves_a_finished_job_alone_when_the_task_runs_twice(
    decree, annexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = decrees.request_rendering(decree=decree)
    job.refresh_from_db()
    name = job.file.name

    decrees.run_rendering(job.pk)

    job.refresh_from_db()
    assert job.file.name == name and job.status == RenderedDocument.Status.DONE


def test_a_rendering_asked_for_while_the_broker_is_down_is_queued_again_later(
    decree, annexed, django_capture_on_commit_callbacks, monkeypatch
):
    """The request stands (no error reaches the page); the beat's requeue hands the job to
    the worker once the broker is back, and only jobs waiting past the grace time."""
    from datetime import timedelta

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from workflows.tasks import render_document

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(render_document, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            job = decrees.request_rendering(decree=decree)
    job.refresh_from_db()
    assert job.status == RenderedDocument.Status.QUEUED

    assert decrees.requeue_stale_renderings() == 0  # not yet past the grace time
    later = timezone.now() + decrees.STALE_RENDERING + timedelta(seconds=1)
    assert decrees.requeue_stale_renderings(now=later) == 1

    job.refresh_from_db()
    assert job.status == RenderedDocument.Status.DONE and job.file
