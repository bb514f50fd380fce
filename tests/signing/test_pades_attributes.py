"""The signed attributes the portal gives pyHanko (``signing.pades.PadesSignedAttributes``, the
signing-certificate-v2 value as parsed DER, made once per certificate) are byte for byte the
ones pyHanko makes itself for a PAdES signature: the speed-up changes nothing that is signed."""

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from pyhanko.sign import signers

from signing import demo, pades
from tests.conftest import SIGNING_PASSPHRASE


@pytest.fixture
def signer(signing_keystore):
    directory, authority = signing_keystore
    official = SimpleNamespace(email="lain@dpmptsp.go.id", full_name="Pejabat Lain", nip="")
    path = demo.create_signer_file(directory, authority, official)
    return signers.SimpleSigner.load_pkcs12_data(
        path.read_bytes(), other_certs=[], passphrase=SIGNING_PASSPHRASE.encode()
    )


def _attributes(signer, digest: bytes):
    """pyHanko's coroutine run to its end in a thread of its own: in a worker process that
    ran a browser test first, Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        coroutine = signer.signed_attrs(digest, "sha256", use_pades=True)
        return pool.submit(asyncio.run, coroutine).result()


def _signed_attributes(signer, digest: bytes) -> bytes:
    return _attributes(signer, digest).dump()


def test_it_signs_the_attributes_pyhanko_would_sign(signer):
    digest = hashlib.sha256(b"the rendered permit").digest()
    assert signer.signed_attr_prov_spec is None
    pyhankos = _signed_attributes(signer, digest)
    signer.signed_attr_prov_spec = pades.PadesSignedAttributes(signer)
    ours = _signed_attributes(signer, digest)
    assert ours == pyhankos
    # content type, message digest and the signer's certificate, nothing else (PAdES B-B).
    signer.signed_attr_prov_spec = pades.PadesSignedAttributes(signer)
    attributes = _attributes(signer, digest)
    assert sorted(a["type"].native for a in attributes) == [
        "content_type",
        "message_digest",
        "signing_certificate_v2",
    ]
    [certificate] = [a for a in attributes if a["type"].native == "signing_certificate_v2"]
    [value] = certificate["values"]
    [cert_id] = value["certs"]
    assert cert_id["cert_hash"].native == hashlib.sha256(signer.signing_cert.dump()).digest()


def test_each_certificate_has_its_own_attribute(signer, signing_keystore):
    directory, authority = signing_keystore
    other = SimpleNamespace(email="kedua@dpmptsp.go.id", full_name="Pejabat Kedua", nip="")
    second = signers.SimpleSigner.load_pkcs12_data(
        demo.create_signer_file(directory, authority, other).read_bytes(),
        other_certs=[],
        passphrase=SIGNING_PASSPHRASE.encode(),
    )
    digest = hashlib.sha256(b"x").digest()
    for each in (signer, second):
        each.signed_attr_prov_spec = pades.PadesSignedAttributes(each)
    assert _signed_attributes(signer, digest) != _signed_attributes(second, digest)


def test_the_signer_info_is_the_one_pyhanko_builds(signer):
    from signing.local import LocalSigner

    digest = hashlib.sha256(b"the rendered permit").digest()
    attributes = _attributes(signer, digest)
    ours = LocalSigner(
        signing_cert=signer.signing_cert,
        signing_key=signer.signing_key,
        cert_registry=signer.cert_registry,
    )
    signature = b"\x30" * 72  # the same stand-in for both: the comparison is of the container
    built = signers.SimpleSigner.signer_info(signer, "sha256", attributes, signature)
    encoded = ours.signer_info("sha256", attributes, signature)
    assert encoded.dump() == built.dump()


def test_a_render_that_is_not_a_pdf_is_refused_before_anything_is_signed(signer):
    from signing.base import SigningError, SignRequest

    request = SignRequest(pdf=b"%PDF-1.7 not really", signer=None, passphrase="")
    with pytest.raises(SigningError, match="not a readable PDF"):
        pades.sign_pdf(request, signer, "Pejabat Lain")
    assert signer.signed_attr_prov_spec is None  # refused before the signer was touched
