"""Offline validation of a signed PDF with pyHanko's validator (``validate_pdf_signature``)
against the trust roots of ``settings.ESIGN_TRUST_ROOTS`` (PEM files; the demo CA by
default), fetching nothing from the network: whether the signature is intact (the bytes it
covers are unchanged), whether it covers the whole file, whether its certificate chains to a
trusted root, and who signed."""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


@dataclass(frozen=True)
class SignatureReport:
    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False
    summary: str = ""

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file

    def as_dict(self) -> dict:
        data = asdict(self)
        data["valid"] = self.valid
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data


def trust_roots(paths=None) -> list[x509.Certificate]:
    roots = []
    for name in paths if paths is not None else settings.ESIGN_TRUST_ROOTS:
        path = Path(name)
        if not path.is_file():
            continue
        data = path.read_bytes()
        if pem.detect(data):
            blocks = [der for _type, _headers, der in pem.unarmor(data, multiple=True)]
        else:
            blocks = [data]
        roots.extend(x509.Certificate.load(der) for der in blocks)
    return roots


def _outside_event_loop(call):
    """pyHanko's synchronous API runs its own asyncio loop; where one is already running in
    this thread (an async caller, Playwright's sync API), run it in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def validate(data: bytes, roots: list | None = None) -> SignatureReport:
    """The report of the last signature of ``data`` (unsigned or unreadable: ``signed=False``)."""
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable file is "not a signed PDF"
        return SignatureReport(signed=False, summary="unreadable")
    if not signatures:
        return SignatureReport(signed=False, summary="unsigned")
    signature = signatures[-1]
    context = ValidationContext(
        trust_roots=roots if roots is not None else trust_roots(), allow_fetching=False
    )
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception as error:  # noqa: BLE001 - a malformed signature is not a valid one
        return SignatureReport(signed=True, summary=f"malformed: {type(error).__name__}")
    cert = status.signing_cert
    return SignatureReport(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        signer=cert.subject.native.get("common_name", "") if cert is not None else "",
        signed_at=status.signer_reported_dt,
        timestamped=status.timestamp_validity is not None,
        summary=status.summary(),
    )
