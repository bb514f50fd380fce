"""The decree's and an SOP's PDF rendered in the background: the inputs' fingerprint, one
stored rendering per set of inputs (re-rendered only when they change), the Celery task's work
and the requeue of jobs whose message was lost."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from sop_portal import tasking

from .decrees import EDITABLE_FIELDS, annexed_versions, decree_pdf
from .models import Decree, DocumentSettings, RenderedDocument, SopVersion
from .states.decrees import RENDERING, claim

# What a rendering of the decree depends on: the edited fields.
_DECREE_FIELDS = EDITABLE_FIELDS
# Bump when the templates or the layout change so stored files are rendered again.
LAYOUT_REVISION = "4"  # h11c: annex flowchart pages carry the annex block on one line


def _settings_inputs() -> dict:
    doc = DocumentSettings.load()
    return {
        "logo": doc.logo.name if doc.logo else "",
        "government": doc.government,
        "unit": doc.unit_name,
        "rows": doc.rows_per_page,
        "decree_logo": doc.decree_logo.name if doc.decree_logo else "",
        "certifier": [doc.certifier_position, doc.certifier_name, doc.certifier_nip],
        "orientation": doc.orientation,
        "updated": doc.updated_at.isoformat() if doc.updated_at else "",
    }


def _version_inputs(version: SopVersion) -> dict:
    # Published versions never change, but drafts do: hash their content, not only their id.
    from .interchange import sop_to_dict

    return {"id": version.pk, "status": version.status, "content": sop_to_dict(version)}


def inputs_hash(*, decree: Decree | None = None, version: SopVersion | None = None) -> str:
    """A fingerprint of everything the PDF prints: same hash, same file."""
    data: dict = {"layout": LAYOUT_REVISION, "settings": _settings_inputs()}
    if decree is not None:
        data["decree"] = {f: getattr(decree, f) for f in _DECREE_FIELDS}
        data["annexes"] = [_version_inputs(v) for v in annexed_versions(decree)]
    if version is not None:
        data["version"] = _version_inputs(version)
    raw = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def request_rendering(
    *, decree: Decree | None = None, version: SopVersion | None = None, by=None
) -> RenderedDocument:
    """The rendering of the current inputs: the existing job (queued, running or done) when the
    inputs have not changed, otherwise a new job, queued after the transaction commits."""
    digest = inputs_hash(decree=decree, version=version)
    existing = (
        RenderedDocument.objects.filter(decree=decree, version=version, inputs_hash=digest)
        .exclude(status=RenderedDocument.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    total = len(annexed_versions(decree)) if decree else 1
    job = RenderedDocument.objects.create(
        decree=decree, version=version, inputs_hash=digest, total=total, requested_by=by
    )
    from .tasks import render_document

    # Queued after commit; a broker that is down then is logged, not a 500 (the job stands,
    # and requeue_stale_renderings hands it to the worker once the broker is back).
    tasking.enqueue_on_commit(render_document, job.pk)
    return job


#: A queued job older than this is handed to the worker again (its first message was lost).
STALE_RENDERING = timedelta(minutes=2)


def requeue_stale_renderings(now=None) -> int:
    """Queue again the renderings still waiting after :data:`STALE_RENDERING` (the broker was
    down when they were requested, or their message was lost). Safe when the first message
    does arrive after all: :func:`run_rendering` claims a job once. Returns how many."""
    from .tasks import render_document

    cutoff = (now or timezone.now()) - STALE_RENDERING
    stale = RenderedDocument.objects.filter(
        status=RenderedDocument.Status.QUEUED, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return tasking.enqueue_many(render_document, [(pk,) for pk in stale])


def latest_rendering(
    *, decree: Decree | None = None, version: SopVersion | None = None
) -> RenderedDocument | None:
    return RenderedDocument.objects.filter(decree=decree, version=version).first()


def run_rendering(job_id: int) -> RenderedDocument | None:
    """Render job ``job_id`` (the Celery task calls this). Idempotent: a job already done or
    taken by another worker is left alone (:func:`workflows.states.decrees.claim`)."""
    job = claim(job_id)
    if job is None:
        return RenderedDocument.objects.filter(pk=job_id).first()
    job = RenderedDocument.objects.select_related("decree", "version__sop").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        RenderedDocument.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        if job.decree_id:
            pdf = decree_pdf(job.decree, progress=progress)
            name = f"keputusan-{job.decree.year}-{job.decree_id}.pdf"
        else:
            from .documents import sop_pdf

            pdf = sop_pdf(job.version)
            name = f"sop-{job.version.sop.code}-v{job.version.version}.pdf"
    except Exception as exc:  # recorded for the page to show, then re-raised to the worker log
        RENDERING.move(
            job,
            RenderedDocument.Status.FAILED,
            name="fail",
            fields={"error": str(exc)[:2000], "finished_at": timezone.now()},
            after={"error": str(exc)[:200]},
        )
        raise
    from pypdf import PdfReader

    job.refresh_from_db()
    job.file.save(name, ContentFile(pdf), save=False)
    RENDERING.move(
        job,
        RenderedDocument.Status.DONE,
        name="finish",
        fields={
            "file": job.file.name,
            "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "done": job.total,
            "finished_at": timezone.now(),
        },
    )
    return job
