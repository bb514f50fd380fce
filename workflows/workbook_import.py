"""Importing an SOP workbook without tying up a web process: the upload is checked at the
door by the portal's one upload check (``permits.uploads.validate_upload``: an XLSX by its
content, its zip directory within the members, size and compression-ratio limits — a zip bomb
is refused there, before anything inflates), then parsed in the Celery worker under a time
limit (``SOP_IMPORT_TIME_LIMIT``). The page polls the job; the job's state lives in the shared
cache (Redis in production), as does the workbook until the worker takes it, so no file is
left on disk and no state column needs a writer.

The job is not retried (no ``acks_late``): a workbook that got its worker killed by the hard
time limit would only get the next one killed too; the page reports it as too slow once the
limit has passed."""

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Sop

KEY = "workflows:workbook-import:{job}"
DATA_KEY = "workflows:workbook-import:{job}:data"
KEEP_SECONDS = 60 * 60  # how long a result can be looked at
QUEUED, STARTED, DONE, REFUSED = "queued", "started", "done", "refused"


class ImportUnavailable(ValidationError):
    """The worker cannot be reached: nothing was saved, the upload may be tried again."""


@dataclass(frozen=True)
class ImportJob:
    """What the result page shows: ``state``, the new version's number when done, the
    problems (sheet, cell, message) when refused."""

    job: str
    sop_code: str
    state: str
    version: int | None
    problems: list[tuple[str, str, str]]


def start_import(sop: Sop, by: Any, uploaded_file: Any) -> str:
    """Check ``uploaded_file`` at the door and queue its import; the job's id. Raises
    ``UploadRejected`` (a 400 for the page) when the file is not a workbook that can be
    checked safely."""
    from permits.uploads import validate_upload  # workflows does not import permits at load

    from .spreadsheet import MAX_UPLOAD
    from .tasks import import_workbook_job

    validate_upload(uploaded_file, formats=["xlsx"], max_bytes=MAX_UPLOAD)
    job = uuid.uuid4().hex
    content = uploaded_file.read()
    cache.set(DATA_KEY.format(job=job), content, KEEP_SECONDS)
    _write(job, {"user": by.pk, "sop": sop.code, "state": QUEUED})
    language = translation.get_language() or settings.LANGUAGE_CODE
    limit = int(settings.SOP_IMPORT_TIME_LIMIT)
    # Sent at once, not on commit: nothing is written to the database before the worker runs.
    try:
        import_workbook_job.apply_async(
            (job, sop.pk, by.pk, language),
            soft_time_limit=max(1, limit - 5),
            time_limit=limit,
        )
    except Exception:  # noqa: BLE001 (kombu and redis raise many kinds when the broker is down)
        cache.delete_many([KEY.format(job=job), DATA_KEY.format(job=job)])
        raise ImportUnavailable(
            _("The workbook cannot be read right now; please upload it again in a few minutes.")
        ) from None
    return job


def run_import(job: str, sop_id: int, user_id: int, language: str) -> None:
    """The worker's part: parse, validate and create the draft, recording the outcome."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.contrib.auth import get_user_model

    from . import spreadsheet, versions

    state = _read(job)
    content = cache.get(DATA_KEY.format(job=job))
    cache.delete(DATA_KEY.format(job=job))
    if state is None or state.get("state") != QUEUED:
        return  # already run, or expired
    _write(job, {**state, "state": STARTED, "started": timezone.now().timestamp()})
    with translation.override(language):
        if content is None:
            _refuse(job, state, [("", "", _("The upload expired; upload the workbook again."))])
            return
        sop = Sop.objects.filter(pk=sop_id).first()
        user = get_user_model().objects.filter(pk=user_id).first()
        if sop is None or user is None:
            _refuse(job, state, [("", "", _("The SOP no longer exists."))])
            return
        try:
            version = spreadsheet.import_workbook(io.BytesIO(content), sop, by=user)
        except spreadsheet.InvalidWorkbook as error:
            _refuse(job, state, [(p.sheet, p.cell, p.message) for p in error.problems])
        except versions.OpenDraftExists as error:
            _refuse(job, state, [("", "", " ".join(error.messages))])
        except SoftTimeLimitExceeded:
            _refuse(job, state, [("", "", too_slow_message())])
        else:
            _write(job, {**state, "state": DONE, "version": version.version})


def job_for(job: str, user: Any) -> ImportJob | None:
    """The job ``job`` as its uploader sees it (None for anyone else, or once expired)."""
    state = _read(job)
    if state is None or state.get("user") != user.pk:
        return None
    if state["state"] == STARTED:
        # A worker killed by the hard limit writes nothing: past the limit, it is over.
        limit = int(settings.SOP_IMPORT_TIME_LIMIT) + 5
        if timezone.now().timestamp() > state.get("started", 0) + limit:
            state = {**state, "state": REFUSED, "problems": [("", "", too_slow_message())]}
    return ImportJob(
        job=job,
        sop_code=state["sop"],
        state=state["state"],
        version=state.get("version"),
        problems=[tuple(p) for p in state.get("problems", [])],
    )


def too_slow_message() -> str:
    return _(
        "The workbook took longer than %(seconds)d seconds to read and was refused. Download "
        "the template again, fill it in, and upload that."
    ) % {"seconds": int(settings.SOP_IMPORT_TIME_LIMIT)}


def _refuse(job: str, state: dict, problems: list[tuple[str, str, str]]) -> None:
    _write(job, {**state, "state": REFUSED, "problems": [list(p) for p in problems]})


def _read(job: str) -> dict | None:
    return cache.get(KEY.format(job=job))


def _write(job: str, state: dict) -> None:
    cache.set(KEY.format(job=job), state, KEEP_SECONDS)
