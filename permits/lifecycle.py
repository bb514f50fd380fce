"""The applicant's transitions of an application: draft (one per service: asking again gives
the same draft), delete a draft, attach documents, submit, correct a returned file, withdraw,
and pay. Each one checks the actor and the state, locks the application, writes, records one
audit entry and leaves notifications to ``on_commit``. Every status change goes through the
application's machine (``permits.states.APPLICATION``), whose guards hold the rules of each
move (submitting needs a verified e-mail address and every mandatory document)."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sop_portal import audit
from workflows import effective, engine
from workflows.actions import emit
from workflows.engine import EngineError, InvalidState, NotAllowed
from workflows.models import PauseReason, Task

from . import application_data, numbering
from .models import Application, ApplicationDocument, Payment, Requirement, Service
from .states import (
    APPLICATION,
    IncompleteData,
    MissingDocuments,
    missing_requirements,
    require_applicant,
)
from .uploads import UploadRejected, validate_upload

__all__ = [
    "EngineError",
    "IncompleteData",
    "InvalidState",
    "MissingDocuments",
    "NotAllowed",
    "UploadRejected",
    "attach_document",
    "correct",
    "create_draft",
    "delete_draft",
    "missing_requirements",
    "save_data",
    "submit",
    "upload_payment_proof",
    "withdraw",
]

CLOSED = (
    Application.Status.ISSUED,
    Application.Status.REJECTED,
    Application.Status.COMPLETED,
    Application.Status.WITHDRAWN,
)


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("service", "sop_version")
        .get(pk=application.pk)
    )


_require_applicant = require_applicant


def _refresh(target: Application, source: Application) -> Application:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def create_draft(service: Service, applicant, entered_by=None) -> Application:
    """The applicant's draft for ``service``: the newest draft they already have for it under
    its published SOP version (with or without documents: they go on where they left off;
    asking again never makes a second identical draft), else a new one pinned to that
    version. ``entered_by``: the front-office member entering it at the counter for a walk-in
    applicant (``permits.counter``); the draft and every later move of theirs say so."""
    if applicant is None or not applicant.is_authenticated:
        raise NotAllowed(_("Sign in to apply."))
    if entered_by is not None:
        from .access import may_serve_at_counter

        if not may_serve_at_counter(entered_by):
            raise NotAllowed(_("Only the front office enters applications at the counter."))
    version = service.published_sop
    if not service.is_active or version is None:
        raise InvalidState(_("This service does not take applications at the moment."))
    with transaction.atomic():
        # Two clicks at once queue on the applicant's row: the second finds the first's draft.
        get_user_model().objects.select_for_update().filter(pk=applicant.pk).first()
        existing = (
            Application.objects.filter(
                applicant=applicant,
                service=service,
                # A draft started under the version in force before still counts: it moves
                # to the new version when it is submitted.
                sop_version__sop_id=version.sop_id,
                status=Application.Status.DRAFT,
                # An online draft and a counter draft are not the same paper.
                entered_by__isnull=entered_by is None,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if existing is not None:
            return existing
        application = Application.objects.create(
            service=service, sop_version=version, applicant=applicant, entered_by=entered_by
        )
        actor = entered_by or applicant
        audit.record(
            "permits.application.created",
            application,
            actor=actor,
            after=_counter_mark(
                application, actor, {"status": application.status, "sop_version": version.pk}
            ),
        )
    return application


def _store(application, requirement: Requirement, uploaded_file, checked, by, version: int):
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        requirement_code=requirement.code,
        requirement_name=requirement.name,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        version=version,
        uploaded_by=by,
    )
    document.file.save(checked.storage_name, uploaded_file, save=False)
    document.save()
    return document


def _requirement(application: Application, code: str) -> Requirement:
    requirement = application.service.requirements.filter(code=code).first()
    if requirement is None:
        raise InvalidState(_("This service has no requirement %(code)s.") % {"code": code})
    return requirement


def _replace(application, requirement, uploaded_file, by) -> ApplicationDocument:
    """Store a new current version of the requirement's document (the old one stays)."""
    previous = (
        ApplicationDocument.objects.select_for_update()
        .filter(application=application, requirement_code=requirement.code)
        .order_by("-version")
        .first()
    )
    # Refuse a bad file before touching the current version.
    checked = validate_upload(uploaded_file, formats=requirement.formats)
    ApplicationDocument.objects.filter(
        application=application, requirement_code=requirement.code, is_current=True
    ).update(is_current=False)
    version = previous.version + 1 if previous else 1
    return _store(application, requirement, uploaded_file, checked, by, version)


def attach_document(application: Application, by, requirement_code: str, uploaded_file):
    """Upload (or replace) the draft's document for one requirement. The file is checked by
    content first (``permits.uploads``); a refused file stores nothing."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status != Application.Status.DRAFT:
            raise InvalidState(_("Documents can only be changed while the application is a draft."))
        requirement = _requirement(locked, requirement_code)
        document = _replace(locked, requirement, uploaded_file, by)
        audit.record(
            "permits.document.attached",
            locked,
            actor=by,
            after=_counter_mark(
                locked, by, {"requirement": requirement.code, "version": document.version}
            ),
        )
    return document


def save_data(application: Application, by, answers: Mapping[str, Any]) -> dict:
    """Store the draft's answers to the service's declared fields (``permits.application_data``
    cleans them; a partial draft is fine, a malformed answer is refused with every error)."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status != Application.Status.DRAFT:
            raise InvalidState(
                _("The details can only be changed while the application is a draft.")
            )
        cleaned, errors = application_data.clean(
            locked.service.application_fields, dict(answers), complete=False
        )
        if errors:
            labels = {
                f.code: f.label
                for f in application_data.fields_of(locked.service.application_fields)
            }
            raise IncompleteData(errors, labels)
        if cleaned != locked.data:
            before = locked.data
            locked.data = cleaned
            locked.save(update_fields=["data"])
            audit.record(
                "permits.application.data_saved",
                locked,
                actor=by,
                before={"fields": sorted(before)},
                after=_counter_mark(locked, by, {"fields": sorted(cleaned)}),
            )
    _refresh(application, locked)
    return cleaned


def delete_draft(application: Application, by) -> None:
    """The applicant deletes their draft: its documents go too, their files once the deletion
    is committed (``permits.filekeeping``, as for every row). Audited (the entry outlives the
    draft)."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status != Application.Status.DRAFT:
            raise InvalidState(_("Only a draft can be deleted; withdraw a submitted application."))
        files = locked.documents.exclude(file="").count()
        audit.record(
            "permits.application.deleted",
            locked,
            actor=by,
            before={
                "status": locked.status,
                "service": locked.service.code,
                "documents": files,
            },
        )
        locked.delete()


def _counter_mark(application: Application, by, after: dict) -> dict:
    """An audit entry of a move made at the counter says so and by whom (the entry's actor)."""
    if application.entered_by_id is not None and by.pk != application.applicant_id:
        return {**after, "entered_at_counter": True, "counter_staff": str(by)}
    return after


def submit(application: Application, by) -> str:
    """Submit a draft (the machine's guard: the applicant's own, or the front office's for a
    walk-in, from a verified e-mail address, every mandatory document): the application gets
    its tracking number and access code and the engine opens its first office step. Returns
    the access code (kept hashed for the lookup and encrypted for its owner to read again);
    ``application`` is updated in place."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status != Application.Status.DRAFT:
            raise InvalidState(_("This application was already submitted."))
        # A refusal of the guard rolls the number back with the rest.
        now = timezone.now()
        # The file runs under the SOP version in force on the day it is submitted (its
        # effective date decides, not which version was published last): a draft started
        # under the old version moves to the new one once that takes effect.
        pinned = effective.in_force(locked.sop_version.sop, timezone.localdate(now))
        if pinned is not None and pinned.pk != locked.sop_version_id:
            locked.sop_version = pinned
            locked.save(update_fields=["sop_version"])
        number = numbering.draw("tracking", now)[0]
        code = numbering.new_access_code()
        APPLICATION.move(
            locked,
            Application.Status.SUBMITTED,
            by=by,
            name="submit",
            locked=True,
            action="permits.application.submitted",
            fields={
                "tracking_number": number,
                "access_code_hash": numbering.hash_access_code(number, code),
                "access_code_sealed": numbering.seal_access_code(code),
                "submitted_at": now,
            },
            after=_counter_mark(
                locked, by, {"tracking_number": number, "sop_version": locked.sop_version.version}
            ),
        )
        emit("application_submitted", application=locked, by=by)
        engine.start(locked, by)
    _refresh(application, locked)
    return code


def correct(application: Application, by, replacements: Mapping[str, Any], note: str = "") -> list:
    """Answer a return: replace exactly the documents asked for (requirement code -> file),
    with a note, and send the file back to the office."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status != Application.Status.RETURNED:
            raise InvalidState(_("The application is not waiting for a correction."))
        asked = set(
            locked.documents.current()
            .filter(status=ApplicationDocument.Status.NEEDS_CORRECTION)
            .values_list("requirement_code", flat=True)
        )
        given = set(replacements)
        if given != asked:
            names = dict(locked.service.requirements.values_list("code", "name"))
            if asked - given:
                raise InvalidState(
                    _("Replace these documents too: %(names)s.")
                    % {"names": ", ".join(names.get(c, c) for c in sorted(asked - given))}
                )
            raise InvalidState(
                _("Only the documents asked for can be replaced; not: %(names)s.")
                % {"names": ", ".join(names.get(c, c) for c in sorted(given - asked))}
            )
        versions = {}
        for code, uploaded_file in replacements.items():
            versions[code] = _replace(locked, _requirement(locked, code), uploaded_file, by).version
        # The applicant step's move writes this transition's one entry.
        opened = engine.resume_locked(
            locked, by, note, action="permits.application.corrected", after={"replaced": versions}
        )
    _refresh(application, locked)
    return opened


def withdraw(application: Application, by, reason: str) -> Application:
    """The applicant withdraws a submitted application; its open tasks end."""
    if not (reason or "").strip():
        raise InvalidState(_("Say why you withdraw the application."))
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        if locked.status == Application.Status.DRAFT or locked.status in CLOSED:
            raise InvalidState(_("This application cannot be withdrawn any more."))
        cancelled = engine.cancel_open_tasks(locked, by, reason)
        APPLICATION.move(
            locked,
            Application.Status.WITHDRAWN,
            by=by,
            locked=True,
            action="permits.application.withdrawn",
            fields={"completed_at": timezone.now(), "withdraw_reason": reason},
            after={"cancelled": [t.pk for t in cancelled]},
            reason=reason,
        )
        emit("application_withdrawn", application=locked, by=by, tasks=cancelled)
    return _refresh(application, locked)


def upload_payment_proof(application: Application, by, uploaded_file) -> Payment:
    """The applicant uploads the proof of payment of the open bill."""
    with transaction.atomic():
        locked = _lock(application)
        _require_applicant(locked, by)
        payment = (
            Payment.objects.select_for_update()
            .filter(application=locked, confirmed_at__isnull=True, task__status=Task.Status.OPEN)
            .first()
        )
        if payment is None:
            raise InvalidState(_("There is no bill waiting for payment."))
        checked = validate_upload(uploaded_file, formats=["pdf", "jpg", "png"])
        payment.proof.save(checked.storage_name, uploaded_file, save=False)
        payment.proof_uploaded_at = timezone.now()
        payment.save(update_fields=["proof", "proof_uploaded_at"])
        # The applicant has done their part: the cashier's clock runs again.
        task = Task.objects.select_for_update().get(pk=payment.task_id)
        task.application = locked
        engine.unpause_locked(task, by, PauseReason.APPLICANT_PAYMENT)
        audit.record(
            "permits.payment.proof_uploaded",
            locked,
            actor=by,
            after={"billing_number": payment.billing_number},
        )
        emit("payment_proof_uploaded", application=locked, payment=payment, by=by)
    return payment
