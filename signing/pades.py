"""The PAdES signature itself, with pyHanko (``pyhanko.sign.signers.PdfSigner``): an incremental
update of the rendered PDF adding a visible signature field on the last page (the QR code and
the verification address are already printed by the template: drawn before signing, so the
signature covers them), CAdES-detached content (``ETSI.CAdES.detached``), SHA-256, and a
timestamp token from ``settings.ESIGN_TSA_URL`` when one is configured (RFC 3161; PAdES B-T).

The stamp sits in the bottom margin of the last page (A4, 20 mm margin in the documents'
stylesheet), so it never covers the text whatever the document's length.
Reference: pyHanko documentation, "Signing functionality" and "Stamp styles"
(https://pyhanko.readthedocs.io/en/latest/lib-guide/signing.html).

Cost (bench/signing.py): asn1crypto re-encodes a value it built (not parsed) on every
``dump()``, each level of nesting twice, so pyHanko's signing-certificate-v2 attribute (seven
levels) was encoded hundreds of times per signature, half the signing time (asn1crypto issue
#256). :class:`PadesSignedAttributes` gives pyHanko the same attributes with that value parsed
from its DER encoding, made once per certificate, and :class:`EncodedSignerInfo` hands the
signer info on parsed from its DER: same bytes, signed the same way."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from asn1crypto import cms, tsp, x509
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import SigningCertificateV2Provider
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers.pdf_cms import (
    CAdESSignedAttributeProviderSpec,
    PdfCMSSignedAttributes,
)
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import TextStampStyle

from sop_portal.formatting import format_moment

from .base import SigningError, SignRequest

FIELD_NAME = "TTE"
WITA = ZoneInfo("Asia/Makassar")
# x1, y1, x2, y2 in points on an A4 page (595 x 842): the bottom margin, from the left margin.
STAMP_BOX = (71, 6, 524, 54)
RESERVED, RESERVED_WITH_TSA = 16 * 1024, 32 * 1024


def _stamp_text(request: SignRequest, name: str) -> str:
    lines = [
        "Ditandatangani secara elektronik oleh: %(signer)s",
        "Waktu: %(ts)s",
        *request.stamp_lines,
    ]
    return "\n".join(line.replace("%", "%%") if "%(" not in line else line for line in lines)


def _moment(now: datetime) -> str:
    """The stamp's time as the portal writes it on Indonesian documents (the stamp is in
    Indonesian): "2 Desember 2026, 08.00 WITA" (``sop_portal.formatting``)."""
    with translation.override("id"):
        return format_moment(now)


@lru_cache(maxsize=256)
def _signing_certificate_der(cert_der: bytes) -> bytes:
    """The DER of the signing-certificate-v2 value (RFC 5035: the certificate's SHA-256 and
    issuer/serial) for one certificate; public data, the same for every signature it makes."""
    return as_signing_certificate_v2(x509.Certificate.load(cert_der)).dump()


class _EncodedSigningCertificate(SigningCertificateV2Provider):
    async def build_attr_value(self, dry_run=False) -> tsp.SigningCertificateV2:
        der = _signing_certificate_der(self.signing_cert.dump())
        return tsp.SigningCertificateV2.load(der)


class PadesSignedAttributes(CAdESSignedAttributeProviderSpec):
    """pyHanko's own PAdES signed attributes (``CAdESSignedAttributeProviderSpec``), with the
    signing-certificate-v2 value given as parsed DER instead of a freshly built tree."""

    def __init__(self, signer: signers.Signer):
        super().__init__(
            attr_settings=PdfCMSSignedAttributes(),
            signing_cert=signer.signing_cert,
            is_pades=True,
            timestamper=None,  # content timestamps only; the signature's own is unsigned
        )

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        for provider in super().signed_attr_providers(data_digest, digest_algorithm):
            if type(provider) is SigningCertificateV2Provider:
                provider = _EncodedSigningCertificate(provider.signing_cert)
            yield provider


class EncodedSignerInfo:
    """For a pyHanko signer class (first among its bases): the ``SignerInfo`` pyHanko builds,
    handed on parsed from its DER, so that packing it into the CMS container does not encode
    it again at every level of nesting."""

    def signer_info(self, digest_algorithm: str, signed_attrs, signature):
        built = super().signer_info(digest_algorithm, signed_attrs, signature)
        return cms.SignerInfo.load(built.dump())


def _timestamper():
    url = settings.ESIGN_TSA_URL
    return HTTPTimeStamper(url, timeout=settings.ESIGN_TIMEOUT_SECONDS) if url else None


def sign_pdf(request: SignRequest, signer: signers.Signer, signer_name: str) -> bytes:
    """Add the PAdES signature of ``signer`` to ``request.pdf``; returns the signed bytes."""
    try:
        # The one parse of the rendered bytes (the writer's reader): the pages are counted
        # here so that a broken render is refused before anything is signed.
        writer = IncrementalPdfFileWriter(io.BytesIO(request.pdf), strict=False)
        int(writer.root["/Pages"]["/Count"])
    except Exception as error:  # noqa: BLE001 - a broken render is refused, not signed
        raise SigningError(
            _("The document to sign is not a readable PDF; nothing was signed.")
        ) from error
    signer.signed_attr_prov_spec = PadesSignedAttributes(signer)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=request.reason,
        location=request.location,
        name=signer_name,
    )
    now = datetime.now(UTC).astimezone(WITA)
    style = TextStampStyle(
        stamp_text=_stamp_text(request, signer_name),
        timestamp_format="%d-%m-%Y %H:%M WITA",
        border_width=1,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=-1, box=STAMP_BOX),
    )
    output = io.BytesIO()
    try:
        pdf_signer.sign_pdf(
            writer,
            # Room for the CMS container, reserved up front: pyHanko then skips its dry-run
            # signature (an estimate that costs as much as the signature itself). A chain of
            # three RSA certificates and a signature take ~5 KB; a timestamp token ~6 KB more.
            bytes_reserved=RESERVED_WITH_TSA if settings.ESIGN_TSA_URL else RESERVED,
            output=output,
            appearance_text_params={"signer": signer_name, "ts": _moment(now)},
        )
    except SigningError:
        raise
    except TimestampRequestError as error:
        raise SigningError(
            _("The timestamp authority did not answer; nothing was signed.")
        ) from error
    return output.getvalue()
