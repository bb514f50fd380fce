"""The local backend: each official's key and certificate in a PKCS#12 file
(``<ESIGN_KEYSTORE_DIR>/<identity>.p12``), opened with the passphrase they type at the
signing moment; the key is in memory only while this one document is signed."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers

from . import pades
from .base import SigningError, SignRequest, key_name


def keystore() -> Path:
    return Path(settings.ESIGN_KEYSTORE_DIR)


def key_file(user) -> Path:
    return keystore() / f"{key_name(user)}.p12"


def has_key(user) -> bool:
    return key_file(user).is_file()


class LocalSigner(pades.EncodedSignerInfo, signers.SimpleSigner):
    """pyHanko's signer with a key in memory, for this one signature."""


class LocalBackend:
    name = "local"

    def sign(self, request: SignRequest) -> bytes:
        path = key_file(request.signer)
        if not path.is_file():
            raise SigningError(
                _("You have no signing certificate on this server; ask the administrator.")
            )
        try:
            loaded = signers.SimpleSigner.load_pkcs12_data(
                path.read_bytes(), other_certs=[], passphrase=request.passphrase.encode()
            )
        except (ValueError, TypeError):
            loaded = None
        if loaded is None:
            raise SigningError(_("The signing passphrase is wrong; nothing was signed."))
        signer = LocalSigner(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )
        name = signer.signing_cert.subject.native.get("common_name") or str(request.signer)
        return pades.sign_pdf(request, signer, name)
