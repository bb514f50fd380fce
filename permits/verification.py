"""What the public verification page and API say of an issued document: its standing today
(``permits.validity``), the permit that replaced it, the signature of the stored file as
pyHanko's validator reads it (offline, against the configured trust roots; cached per file
hash), and whether a file someone holds is the one issued (its SHA-256)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from signing import validation

from . import validity
from .models import IssuedDocument

CHUNK = 64 * 1024


def signature_report(issued: IssuedDocument) -> validation.SignatureReport:
    """The validation of the stored signed file (unsigned when there is none)."""
    if not issued.file or not issued.sha256:
        return validation.SignatureReport(signed=False, summary="unsigned")
    key = f"permits:signature:{issued.sha256}"
    cached = cache.get(key)
    if cached is not None:
        return validation.SignatureReport(**cached)
    with issued.file.open("rb") as handle:
        report = validation.validate(handle.read())
    cache.set(key, report.__dict__, 3600)
    return report


def summary(issued: IssuedDocument) -> dict:
    state = validity.standing(issued)
    return {
        "standing": state,
        "standing_label": validity.LABELS[state],
        "replaced_by": issued.replaced_by,
        "signature": signature_report(issued),
    }


def digest_of(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def file_matches(issued: IssuedDocument, uploaded) -> bool:
    """Whether ``uploaded`` is byte for byte the signed file the office issued."""
    return bool(issued.sha256) and digest_of(uploaded) == issued.sha256
