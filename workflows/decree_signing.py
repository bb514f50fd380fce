"""Signing a final decree's PDF electronically (issue 13: "the decree's PDF when it is marked
final"): the official who signs types their passphrase; the rendering of the decree's current
inputs is signed (PAdES, through :mod:`signing`, the same backends as the permits), the signed
bytes replace the rendered file and their SHA-256 goes into the rendering and the audit entry.

The decree is rendered in the background, where nobody is present to type a passphrase, so
signing is its own step after the rendering (the administrator's "sign" on the decree page),
and the one function here is what every door calls."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import is_administrator
from signing import base as signing
from sop_portal import audit

from .decree_rendering import inputs_hash
from .models import Decree, RenderedDocument


def may_sign(job: RenderedDocument | None) -> bool:
    """Whether ``job`` is a rendering that can be signed now: the current rendering of a final
    decree, done and not signed yet."""
    return (
        job is not None
        and job.decree_id is not None
        and job.status == RenderedDocument.Status.DONE
        and bool(job.file)
        and job.signed_at is None
        and job.decree.status == Decree.Status.FINAL
        and job.inputs_hash == inputs_hash(decree=job.decree)
    )


def sign_rendering(job: RenderedDocument, *, by, passphrase: str) -> RenderedDocument:
    """Sign the final decree's rendering ``job`` as ``by`` (an administrator holding a signing
    key). Raises ``PermissionDenied`` for anyone else and ``ValidationError`` with the
    official's message when it cannot be signed (draft decree, stale or unfinished rendering,
    already signed, wrong passphrase, the signing service refused): nothing changes then."""
    if not is_administrator(by):
        raise PermissionDenied(_("Only an administrator signs the decree."))
    if not (passphrase or "").strip():
        raise ValidationError(_("Type your signing passphrase to sign the document."))
    with transaction.atomic():
        locked = RenderedDocument.objects.select_for_update().get(pk=job.pk)
        if not may_sign(locked):
            raise ValidationError(
                _(
                    "Only the current rendering of a final decree can be signed, once: "
                    "finalize the decree and render it again."
                )
            )
        decree = locked.decree
        with locked.file.open("rb") as rendered:
            pdf = rendered.read()
        request = signing.SignRequest(
            pdf=pdf,
            signer=by,
            passphrase=passphrase,
            reason=f"Keputusan Gubernur {decree.number or decree.pk} Tahun {decree.year}",
            stamp_lines=(f"Keputusan Nomor {decree.number}", f"Tahun {decree.year}"),
        )
        backend = signing.get_backend()
        try:
            signed = backend.sign(request)
        except signing.SigningError as error:
            raise ValidationError(error.message) from error
        digest = hashlib.sha256(signed).hexdigest()
        name = locked.file.name.rsplit("/", 1)[-1].removesuffix(".pdf") + "-ttd.pdf"
        # The unsigned file is removed once this commits (permits.filekeeping follows files).
        locked.file.save(name, ContentFile(signed), save=False)
        locked.sha256 = digest
        locked.signed_at = timezone.now()
        locked.signed_by = by
        locked.save(update_fields=["file", "sha256", "signed_at", "signed_by"])
        audit.record(
            "workflows.decree.signed",
            decree,
            actor=by,
            after={"rendering": locked.pk, "sha256": digest, "backend": backend.name},
        )
    return locked
