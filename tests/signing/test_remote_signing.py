"""The remote backend, against the local double of the signing service (no network): only the
hash travels; success gives a PAdES signature pyHanko finds intact and signed by the official;
a refusal and a timeout issue nothing and give the head a clear message."""

import pytest

from permits.models import Application, IssuedDocument
from signing import validation
from signing.double import DoubleSigningService
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import the_task
from tests.permits.staff.helpers import client_for
from workflows import engine
from workflows.models import Task

from .kit import at_signing, sign, stored_bytes

pytestmark = pytest.mark.django_db

NIP = "197001011990032001"


@pytest.fixture
def service(settings, cast, tmp_path):
    cast.dewi.nip = NIP
    cast.dewi.save(update_fields=["nip"])
    with DoubleSigningService() as double:
        double.enrol(NIP, "Dewi Kepala", SIGNING_PASSPHRASE)
        roots = tmp_path / "double-ca.pem"
        roots.write_bytes(double.ca_pem)
        settings.ESIGN_BACKEND = "remote"
        settings.ESIGN_REMOTE_URL = double.url
        settings.ESIGN_TIMEOUT_SECONDS = 1.0
        settings.ESIGN_TRUST_ROOTS = [str(roots)]
        yield double


def _nothing_issued(application):
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert not IssuedDocument.objects.exists()
    assert the_task(application, 6).status == Task.Status.OPEN


def test_it_signs_through_the_service_sending_only_the_hash(two_opd, cast, service):
    application = at_signing(two_opd, cast)
    sign(application, cast)
    permit = application.issued_documents.get()
    report = validation.validate(stored_bytes(permit))
    assert report.valid and report.signer == "Dewi Kepala"
    assert permit.signature_backend == "remote"
    [request] = [r for r in service.requests if r["path"] == "/api/v1/sign/hash"]
    assert request["nik"] == NIP and request["hash_algorithm"] == "SHA256"
    # A SHA-256 digest, base64: 44 characters; the document itself never left the portal.
    assert len(request["hash"]) == 44 and "pdf" not in request


def test_it_issues_nothing_when_the_service_refuses(two_opd, cast, service):
    application = at_signing(two_opd, cast)
    service.refuse = "Sertifikat dibekukan."
    with pytest.raises(engine.InvalidState, match="refused: Sertifikat dibekukan"):
        sign(application, cast)
    _nothing_issued(application)


def test_it_issues_nothing_on_a_wrong_passphrase_at_the_service(two_opd, cast, service):
    application = at_signing(two_opd, cast)
    with pytest.raises(engine.InvalidState, match="Passphrase is wrong"):
        sign(application, cast, passphrase="salah")
    _nothing_issued(application)


def test_it_issues_nothing_when_the_service_times_out(two_opd, cast, service):
    application = at_signing(two_opd, cast)
    service.delay = 2.5  # the portal waits 1 s
    with pytest.raises(engine.InvalidState, match="did not answer in time"):
        sign(application, cast)
    _nothing_issued(application)


def test_the_head_reads_the_refusal_on_the_task_page(two_opd, cast, service):
    application = at_signing(two_opd, cast)
    service.refuse = "Layanan TTE sedang gangguan."
    task = the_task(application, 6)
    response = client_for(cast.dewi).post(
        f"/petugas/tugas/{task.pk}/",
        {"op": "complete", "notes": "", "passphrase": SIGNING_PASSPHRASE},
        follow=True,
    )
    assert response.status_code == 200
    assert "Layanan TTE sedang gangguan." in response.content.decode()
    _nothing_issued(application)
