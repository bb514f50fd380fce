"""Shared steps of the signing and permit-life tests: drive the two-agency service to the head's
signing step, sign there, and read a signed PDF the way a third party would (pdfsig, pyHanko)."""

import io
import shutil
import subprocess

from permits import lifecycle
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import pdf, submitted, the_task
from workflows import engine


def at_signing(service, cast, applicant=None):
    """An application of the two-agency service waiting for the head's signature (step 6)."""
    application = submitted(service, applicant or cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 3, "DLH"), cast.gita, data={"verdict": "recommend"})
    engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "approve"})
    lifecycle.upload_payment_proof(application, cast.ani, pdf("bukti.pdf"))
    pay = the_task(application, 5)
    engine.complete(pay, cast.yusuf, data={"payment_code": pay.payment.billing_number})
    return application


def sign(application, cast, passphrase=SIGNING_PASSPHRASE):
    return engine.complete(the_task(application, 6), cast.dewi, data={"passphrase": passphrase})


def stored_bytes(issued) -> bytes:
    with issued.file.open("rb") as handle:
        return handle.read()


def pdfsig(data: bytes, tmp_path) -> str:
    """What poppler's ``pdfsig`` says of ``data`` (installed by bin/_common.sh)."""
    assert shutil.which("pdfsig"), "pdfsig (poppler-utils) is needed: bin/_common.sh installs it"
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, check=False, timeout=60
    ).stdout


def text_of(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
