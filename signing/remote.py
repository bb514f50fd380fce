"""The remote backend, shaped like a national e-signature service (BSrE's TTE API: the
official's identity and passphrase go with each request; the key never leaves the service).
Only the hash travels: pyHanko builds the CMS signed attributes here, their SHA-256 digest is
sent, the raw signature comes back and is embedded (``pyhanko.sign.signers.Signer``'s
``async_sign_raw``). The protocol, JSON over HTTPS, under ``settings.ESIGN_REMOTE_URL``:

- ``POST /api/v1/certificate`` ``{"nik": …}`` -> ``{"certificate": b64 DER, "chain": [b64 DER]}``
- ``POST /api/v1/sign/hash`` ``{"nik", "passphrase", "hash": b64, "hash_algorithm": "SHA256"}``
  -> ``{"signature": b64}`` (RSA PKCS#1 v1.5 over the digest);
- a refusal is a 4xx with ``{"error": "message"}``.

Every call has ``settings.ESIGN_TIMEOUT_SECONDS``; a timeout, a refusal or an unreadable
answer is a :class:`signing.base.SigningError` and nothing is issued."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request

from asn1crypto import algos, x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pades
from .base import SigningError, SignRequest, identity


def _call(path: str, payload: dict) -> dict:
    base = settings.ESIGN_REMOTE_URL.rstrip("/")
    if not base:
        raise SigningError(_("No signing service is configured."))
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.ESIGN_REMOTE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.ESIGN_REMOTE_TOKEN}"
    request = urllib.request.Request(
        base + path, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ESIGN_TIMEOUT_SECONDS) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read()).get("error", "")
        except ValueError:
            message = ""
        raise SigningError(
            _("The signing service refused: %(reason)s Nothing was signed.")
            % {"reason": message or error.reason}
        ) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        if isinstance(error, TimeoutError) or isinstance(
            getattr(error, "reason", None), TimeoutError
        ):
            raise SigningError(
                _("The signing service did not answer in time; nothing was signed. Try again.")
            ) from error
        raise SigningError(
            _("The signing service cannot be reached; nothing was signed. Try again later.")
        ) from error


def _cert(b64: str) -> x509.Certificate:
    return x509.Certificate.load(base64.b64decode(b64))


class RemoteSigner(pades.EncodedSignerInfo, signers.Signer):
    """A pyHanko signer whose private key is at the signing service."""

    def __init__(self, nik: str, passphrase: str):
        answer = _call("/api/v1/certificate", {"nik": nik})
        try:
            cert = _cert(answer["certificate"])
            chain = [_cert(c) for c in answer.get("chain", [])]
        except (KeyError, TypeError, ValueError) as error:
            raise SigningError(_("The signing service gave no usable certificate.")) from error
        self._nik, self._passphrase = nik, passphrase
        super().__init__(
            signing_cert=cert,
            cert_registry=SimpleCertificateStore.from_certs(chain),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(self.signing_cert.public_key.byte_size)
        digest = hashlib.new(digest_algorithm, data).digest()
        answer = _call(
            "/api/v1/sign/hash",
            {
                "nik": self._nik,
                "passphrase": self._passphrase,
                "hash": base64.b64encode(digest).decode(),
                "hash_algorithm": digest_algorithm.upper(),
            },
        )
        try:
            return base64.b64decode(answer["signature"])
        except (KeyError, TypeError, ValueError) as error:
            raise SigningError(_("The signing service gave no usable signature.")) from error


class RemoteBackend:
    name = "remote"

    def sign(self, request: SignRequest) -> bytes:
        signer = RemoteSigner(identity(request.signer), request.passphrase)
        name = signer.signing_cert.subject.native.get("common_name") or str(request.signer)
        return pades.sign_pdf(request, signer, name)
