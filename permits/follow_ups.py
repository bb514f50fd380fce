"""Renewals (*perpanjangan*) and amendments (*perubahan*) of an issued permit: the holder starts
one from the permit; it is a draft application of the same service, linked to the permit,
pre-filled with the documents of the permit's application (copies: the draft owns its files),
under the service's SOP for that purpose (``Service.sop_for``; the main SOP when the service
declares none). Submitting and the rest are the ordinary application's
(``permits.lifecycle``); issuing its permit replaces the old one (``permits.issuing``).

A revoked permit can no longer be renewed or amended; a replaced one is followed up from the
permit that replaced it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sop_portal import audit
from workflows.engine import InvalidState, NotAllowed

from .access import may_follow_up
from .models import Application, ApplicationDocument, IssuedDocument

PURPOSES = (Application.Purpose.RENEWAL, Application.Purpose.AMENDMENT)


def _check(issued: IssuedDocument, by, purpose: str) -> None:
    if purpose not in PURPOSES:
        raise InvalidState(_("Choose a renewal or an amendment."))
    if not may_follow_up(by, issued):
        raise NotAllowed(_("Only the holder of the permit can do this."))
    if issued.kind != IssuedDocument.Kind.PERMIT:
        raise InvalidState(_("Only a permit can be renewed or amended."))
    if issued.status == IssuedDocument.Status.REVOKED:
        raise InvalidState(_("This permit was revoked; it can no longer be renewed or amended."))
    if issued.status == IssuedDocument.Status.REPLACED:
        raise InvalidState(
            _("This permit was replaced by %(number)s; start from that one.")
            % {"number": issued.replaced_by.number if issued.replaced_by else "…"}
        )
    if purpose == Application.Purpose.RENEWAL and issued.valid_until is None:
        raise InvalidState(_("This permit has no time limit; it needs no renewal."))


def _copy_documents(source: Application, target: Application, by) -> int:
    copied = 0
    for document in source.documents.current().order_by("requirement_code"):
        if not document.file or document.requirement_id is None:
            continue
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        copy = ApplicationDocument(
            application=target,
            requirement_id=document.requirement_id,
            requirement_code=document.requirement_code,
            requirement_name=document.requirement_name,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            version=1,
            uploaded_by=by,
        )
        suffix = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
        copy.file.save(f"copy.{suffix}", ContentFile(content), save=False)
        copy.save()
        copied += 1
    return copied


def start(issued: IssuedDocument, by, purpose: str, note: str = "") -> Application:
    """The holder's draft renewal or amendment of ``issued`` (asking again gives the same
    draft)."""
    _check(issued, by, purpose)
    service = issued.application.service
    version = service.published_sop_for(purpose)
    if not service.is_active or version is None:
        raise InvalidState(_("This service does not take applications at the moment."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        existing = Application.objects.filter(
            applicant=by,
            previous_permit=issued,
            purpose=purpose,
            status=Application.Status.DRAFT,
        ).first()
        if existing is not None:
            return existing
        application = Application.objects.create(
            service=service,
            sop_version=version,
            applicant=by,
            purpose=purpose,
            previous_permit=issued,
            change_note=(note or "").strip(),
        )
        copied = _copy_documents(issued.application, application, by)
        audit.record(
            "permits.application.created",
            application,
            actor=by,
            after={
                "status": application.status,
                "sop_version": version.pk,
                "purpose": purpose,
                "previous_permit": issued.number,
                "documents_copied": copied,
            },
        )
    return application
