"""The head signs the permit with the local backend (a PKCS#12 file behind a passphrase): the
stored file is a PAdES signature that pdfsig and pyHanko's validator find intact and signed by
her; its hash is in the audit entry; a wrong passphrase issues nothing."""

import hashlib

import pytest

from permits.models import Application, Counter, IssuedDocument
from signing import validation
from sop_portal.audit import entries_for
from tests.permits.lifecycle.kit import the_task
from workflows import engine
from workflows.models import Task

from .kit import at_signing, pdfsig, sign, stored_bytes, text_of

pytestmark = pytest.mark.django_db


def test_it_stores_a_pades_signature_that_pyhanko_finds_intact_and_trusted(two_opd, cast):
    application = at_signing(two_opd, cast)
    sign(application, cast)
    permit = application.issued_documents.get()
    data = stored_bytes(permit)
    report = validation.validate(data)
    assert report.signed and report.intact and report.trusted and report.whole_file
    assert report.valid and report.signer == "Dewi Kepala"
    assert permit.signer_name == "Dewi Kepala" and permit.signature_backend == "local"
    assert permit.sha256 == hashlib.sha256(data).hexdigest()
    # The visible content (number, QR address) was rendered before signing: it is covered.
    assert permit.number in text_of(data)


def test_it_satisfies_pdfsig(two_opd, cast, tmp_path):
    application = at_signing(two_opd, cast)
    sign(application, cast)
    report = pdfsig(stored_bytes(application.issued_documents.get()), tmp_path)
    assert "Signer Certificate Common Name: Dewi Kepala" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report


def test_it_records_the_hash_of_the_signed_bytes_in_the_audit(two_opd, cast):
    application = at_signing(two_opd, cast)
    sign(application, cast)
    permit = application.issued_documents.get()
    [entry] = [e for e in entries_for(application) if e.action == "permits.issued_document.signed"]
    assert (
        entry.after["sha256"] == permit.sha256 == hashlib.sha256(stored_bytes(permit)).hexdigest()
    )
    assert entry.after["number"] == permit.number and entry.actor_id == cast.dewi.pk


def test_it_issues_nothing_with_a_wrong_passphrase(two_opd, cast):
    application = at_signing(two_opd, cast)
    counters = list(Counter.objects.values_list("key", "value"))
    with pytest.raises(engine.InvalidState, match="passphrase is wrong"):
        sign(application, cast, passphrase="salah")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert not IssuedDocument.objects.exists()
    assert the_task(application, 6).status == Task.Status.OPEN
    assert list(Counter.objects.values_list("key", "value")) == counters


def test_it_refuses_an_official_without_a_certificate(two_opd, cast, settings, tmp_path):
    settings.ESIGN_KEYSTORE_DIR = tmp_path / "empty"
    application = at_signing(two_opd, cast)
    with pytest.raises(engine.InvalidState, match="no signing certificate"):
        sign(application, cast)
    assert not IssuedDocument.objects.exists()


def test_a_signature_from_an_unknown_authority_is_intact_but_not_trusted(two_opd, cast, settings):
    application = at_signing(two_opd, cast)
    sign(application, cast)
    data = stored_bytes(application.issued_documents.get())
    report = validation.validate(data, roots=[])
    assert report.intact and not report.trusted and not report.valid


def test_the_head_previews_the_permit_before_signing_and_nothing_is_issued(two_opd, cast):
    from django.urls import reverse

    from tests.permits.staff.helpers import client_for

    application = at_signing(two_opd, cast)
    task = the_task(application, 6)
    response = client_for(cast.dewi).get(reverse("permits:issue_preview", args=[task.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # The exact PDF the head is about to sign, read as text.
    text = text_of(response.content)
    assert "Ani Pemohon" in text and "Masa berlaku" in text and application.tracking_number in text
    assert not IssuedDocument.objects.exists()
    # Only a signing step has a preview.
    earlier = application.tasks.get(step__no=2)
    assert (
        client_for(cast.dewi).get(reverse("permits:issue_preview", args=[earlier.pk])).status_code
        == 404
    )


def test_it_adds_a_trusted_timestamp_where_a_tsa_is_configured(two_opd, cast, settings, tmp_path):
    from signing.double import DoubleTimestampAuthority

    with DoubleTimestampAuthority() as tsa:
        roots = tmp_path / "roots.pem"
        roots.write_bytes(
            open(settings.ESIGN_TRUST_ROOTS[0], "rb").read() + tsa.ca_pem  # noqa: SIM115
        )
        settings.ESIGN_TSA_URL = tsa.url
        settings.ESIGN_TRUST_ROOTS = [str(roots)]
        application = at_signing(two_opd, cast)
        sign(application, cast)
        assert tsa.requests == 1
    report = validation.validate(stored_bytes(application.issued_documents.get()))
    assert report.valid and report.timestamped


def test_the_system_checks_refuse_an_unknown_backend_or_a_remote_without_address(settings):
    from signing.checks import signing_configuration

    settings.ESIGN_BACKEND = "usb-token"
    assert [e.id for e in signing_configuration(None)] == ["signing.E001"]
    settings.ESIGN_BACKEND, settings.ESIGN_REMOTE_URL = "remote", ""
    assert [e.id for e in signing_configuration(None)] == ["signing.E002"]
    settings.ESIGN_REMOTE_URL = "https://tte.example.go.id"
    assert signing_configuration(None) == []
