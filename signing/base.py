"""The signer interface: one request (PDF bytes, the official, the passphrase they typed, the
stamp's lines) and the backend chosen by ``settings.ESIGN_BACKEND``. Every backend makes a
PAdES signature (ETSI EN 319 142-1, baseline B-B, B-T with a TSA) through :mod:`signing.pades`;
they differ only in where the private key is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.text import slugify


class SigningError(Exception):
    """Signing did not happen; ``message`` is shown to the official (nothing may be issued)."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


@dataclass(frozen=True)
class SignRequest:
    """What to sign and for whom. ``passphrase`` is typed by the official at the signing
    moment and never stored or logged."""

    pdf: bytes
    signer: object  # the official (accounts.User): identity(), full_name
    passphrase: str = field(repr=False)
    reason: str = "Dokumen ditandatangani secara elektronik"
    location: str = "Kendari"
    #: lines of the visible stamp (the signer's name and the date are added by the backend)
    stamp_lines: tuple[str, ...] = ()
    #: the address the document's QR code points to (printed in the stamp too)
    url: str = ""


class Backend(Protocol):
    name: str

    def sign(self, request: SignRequest) -> bytes:
        """The signed PDF; raise :class:`SigningError` to refuse."""
        ...


def identity(user) -> str:
    """The official's identity at the signing service and the name of their key file: the NIP
    (the civil-servant number BSrE certificates are issued for), else the e-mail address."""
    return (getattr(user, "nip", "") or "").strip() or user.email.strip().lower()


def key_name(user) -> str:
    return slugify(identity(user).replace("@", "-at-")) or "signer"


BACKENDS = {
    "local": "signing.local.LocalBackend",
    "remote": "signing.remote.RemoteBackend",
}


def get_backend(name: str | None = None) -> Backend:
    """The configured backend (``settings.ESIGN_BACKEND``: ``local`` or ``remote``)."""
    name = name or settings.ESIGN_BACKEND
    return import_string(BACKENDS[name])()


def sign(request: SignRequest) -> bytes:
    """Sign with the configured backend."""
    return get_backend().sign(request)
