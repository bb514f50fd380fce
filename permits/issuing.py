"""Issuing a permit or a rejection letter: number it, render it (the QR code and the verification
address printed), have the signing official sign it (PAdES, through :mod:`signing`), store the
signed bytes as the document's file and record their SHA-256 in the audit entry. Nothing is
issued unsigned: a refused or failed signature raises, and the caller's transaction (the
engine's completion of the signing step) rolls everything back, number included.

A permit of a renewal or an amendment replaces the permit it follows up
(``permits.states.ISSUED`` ``replace``), in the same transaction."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from signing import base as signing
from sop_portal import audit
from workflows.engine import InvalidState

from . import application_data, numbering
from .issued_documents import WITA, issued_document_pdf, verification_url
from .models import Application, IssuedDocument
from .states import ISSUED


class SigningRefused(InvalidState):
    """The signature was not made (wrong passphrase, the service refused or timed out)."""


def _valid_until(application: Application, issued_on):
    """The permit's last valid day; a renewal made before the old permit ran out runs on from
    the old one's expiry (the holder loses no time by renewing early)."""
    start = issued_on
    previous = application.previous_permit
    if (
        application.purpose == Application.Purpose.RENEWAL
        and previous is not None
        and previous.valid_until is not None
        and previous.valid_until >= issued_on
    ):
        start = previous.valid_until + timedelta(days=1)
    return application.service.valid_until(start)


def document_data(application: Application) -> dict:
    """What the document keeps of the application: a snapshot of the declared fields and
    their answers, so a later change to the service never rewrites an issued permit."""
    return {
        "tracking_number": application.tracking_number,
        "service": application.service.code,
        "fields": application.service.application_fields,
        "answers": application.data,
    }


def holder_of(application: Application) -> str:
    """The permit's holder: the company when a company applied, else the applicant."""
    person = application.applicant.full_name or application.applicant.email
    return application_data.holder_name(application.data, person)


def sign_document(issued: IssuedDocument, by, passphrase: str, base_url: str | None = None):
    """Render ``issued``, sign it as ``by`` and store the signed file (inside the caller's
    transaction). Raises :class:`SigningRefused` with the official's message."""
    if not (passphrase or "").strip():
        raise SigningRefused(_("Type your signing passphrase to sign the document."))
    pdf = issued_document_pdf(issued, base_url)
    request = signing.SignRequest(
        pdf=pdf,
        signer=by,
        passphrase=passphrase,
        reason=f"{issued.get_kind_display()} {issued.number}",
        stamp_lines=(f"Nomor: {issued.number}", "Verifikasi: pindai kode QR pada dokumen ini"),
        url=verification_url(issued, base_url),
    )
    backend = signing.get_backend()
    try:
        signed = backend.sign(request)
    except signing.SigningError as error:
        raise SigningRefused(error.message) from error
    digest = hashlib.sha256(signed).hexdigest()
    issued.file.save(f"{issued.verification_token}.pdf", ContentFile(signed), save=False)
    issued.sha256 = digest
    issued.signed_at = timezone.now()
    issued.signer_name = by.full_name or by.email
    issued.signature_backend = backend.name
    issued.save(update_fields=["file", "sha256", "signed_at", "signer_name", "signature_backend"])
    audit.record(
        "permits.issued_document.signed",
        issued.application,
        actor=by,
        after={
            "number": issued.number,
            "kind": issued.kind,
            "sha256": digest,
            "signer": issued.signer_name,
            "backend": backend.name,
            "valid_until": issued.valid_until.isoformat() if issued.valid_until else None,
        },
    )
    return issued


def remove_orphan_files(older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete signed files no issued document names: left by a transaction that rolled back
    after the file was written (Django has no on-rollback hook) or by a killed process. Run by
    the validity sweep; files younger than ``older_than`` may belong to a transaction still
    open. Returns how many were removed."""
    storage = IssuedDocument._meta.get_field("file").storage
    known = set(IssuedDocument.objects.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0
    try:
        years, _files = storage.listdir("issued")
    except FileNotFoundError:
        return 0
    for year in years:
        for name in storage.listdir(f"issued/{year}")[1]:
            path = f"issued/{year}/{name}"
            if path not in known and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed


def issue(
    application: Application,
    by,
    kind: str,
    reasons: str = "",
    passphrase: str = "",
    base_url: str | None = None,
) -> IssuedDocument:
    """Number, render, sign and store the permit or the rejection letter of ``application``
    (locked by the caller)."""
    now = timezone.now()
    issued_on = now.astimezone(WITA).date()
    number, year, seq = numbering.draw(kind, now, service=application.service.code)
    previous = application.previous_permit if kind == IssuedDocument.Kind.PERMIT else None
    data = document_data(application)
    if previous is not None:
        data |= {"replaces": previous.number, "purpose": application.purpose}
    issued = IssuedDocument.objects.create(
        application=application,
        kind=kind,
        number=number,
        year=year,
        sequence=seq,
        holder_name=holder_of(application),
        service_name=application.service.name,
        reasons=reasons,
        data=data,
        issued_at=now,
        issued_by=by,
        verification_token=numbering.new_verification_token(),
        valid_until=_valid_until(application, issued_on)
        if kind == IssuedDocument.Kind.PERMIT
        else None,
    )
    if previous is not None:
        ISSUED.move(
            previous,
            IssuedDocument.Status.REPLACED,
            by=by,
            name="replace",
            fields={"replaced_by": issued},
            after={"replaced_by": issued.number},
        )
    sign_document(issued, by, passphrase, base_url)
    return issued
