"""The demo certificate authority and demo signers (for the demo data, tests and benches): an
RSA CA certificate and, per official, a key and certificate issued by it in a PKCS#12 file
behind a passphrase. In production the certificates come from BSrE (the government's
certification authority) and this module is not used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CA_NAME = "SOP Portal Demo CA (bukan BSrE)"
#: documented in README (demo accounts); never used outside demo data and tests.
DEMO_PASSPHRASE = "demo-ttd-2026"


@dataclass
class Authority:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _now() -> datetime:
    # Certificates' own validity, not the portal's clock: a day back absorbs clock skew.
    return datetime.now(UTC) - timedelta(days=1)


def new_authority(name: str = CA_NAME, years: int = 10) -> Authority:
    key = rsa_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SOP Portal (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    start = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(cert, key)


def issue_certificate(
    authority: Authority,
    common_name: str,
    serial: str = "",
    years: int = 2,
    key=None,
    extended_usage: x509.ExtendedKeyUsage | None = None,
) -> tuple[object, x509.Certificate]:
    """A signing certificate for one official (non-repudiation, document signing). The demo
    signers' keys are ECDSA P-256 (ETSI TS 119 312 lists it for signatures): loading an RSA
    key from its PKCS#12 file costs ~0.1 s of key validation on every signature, an EC key
    next to nothing (see bench/signing.py)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Provinsi Sulawesi Tenggara"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    # serialNumber is a PrintableString (RFC 5280): a NIP is; an e-mail address is not.
    if serial and re.fullmatch(r"[A-Za-z0-9 '()+,./:=?-]+", serial):
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    start = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            extended_usage or x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            # A timestamping certificate's usage must be critical (RFC 3161 § 2.3).
            critical=extended_usage is not None,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return key, cert


def pkcs12_bytes(key, cert, authority: Authority, passphrase: str, name: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        key,
        cert,
        [authority.cert],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def load_or_create_authority(directory: Path) -> Authority:
    """The demo CA kept in ``directory`` (made on first use)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / CA_CERT, directory / CA_KEY
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return Authority(cert, key)
    authority = new_authority()
    key_path.write_bytes(
        authority.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(authority.pem)
    return authority


def create_signer_file(
    directory: Path, authority: Authority, user, passphrase: str = DEMO_PASSPHRASE
) -> Path:
    """Write ``<directory>/<key name>.p12`` for ``user``, issued by ``authority``."""
    from .base import key_name

    key, cert = issue_certificate(authority, user.full_name or user.email, user.nip or "")
    path = directory / f"{key_name(user)}.p12"
    path.write_bytes(pkcs12_bytes(key, cert, authority, passphrase, user.full_name or user.email))
    path.chmod(0o600)
    return path
