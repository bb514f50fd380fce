"""Background work of the workflows app: rendering decree and SOP PDFs, sweeping the clocks.
Tasks take ids and are thin callers of domain functions; they are idempotent (acks_late is
safe)."""

from celery import shared_task


@shared_task(acks_late=True)
def render_document(job_id: int) -> None:
    """Render the :class:`~workflows.models.RenderedDocument` ``job_id`` if still queued."""
    from .decree_rendering import run_rendering

    run_rendering(job_id)


@shared_task(acks_late=True)
def prepare_decree_parts(decree_id: int) -> int:
    """Queue the annex parts of decree ``decree_id`` for rendering ahead, one task each
    (``workflows.decree_print.prepare_parts``): several workers render them in parallel."""
    from .decree_print import prepare_parts

    return prepare_parts(decree_id)


@shared_task(acks_late=True)
def render_decree_part(*job) -> int:
    """Render one annex part into the part cache (idempotent: a cached part is a cache hit)."""
    from .decree_print import render_part

    return render_part(tuple(job))[2]


@shared_task(acks_late=True)
def requeue_stale_renderings() -> int:
    """Hand the renderings whose first message was lost back to the worker (beat)."""
    from .decree_rendering import requeue_stale_renderings as requeue

    return requeue()


@shared_task(acks_late=True)
def sweep_clocks() -> int:
    """Send the deadline warnings that fell due (beat, every few minutes); idempotent."""
    from .sweep import sweep

    return sweep().total()


@shared_task  # not acks_late: a workbook that got its worker killed is not handed to another
def import_workbook_job(job: str, sop_id: int, user_id: int, language: str) -> None:
    """Parse an uploaded SOP workbook under the time limit given when it was queued
    (``workflows.workbook_import``)."""
    from .workbook_import import run_import

    run_import(job, sop_id, user_id, language)
