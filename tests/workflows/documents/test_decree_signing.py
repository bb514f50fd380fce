"""Signing the final decree's PDF (PAdES, the suite's demo CA): only the current rendering of
a final decree, once, by an administrator with the passphrase; a refusal changes nothing."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from signing import validation
from sop_portal.models import AuditEntry
from tests.conftest import SIGNING_PASSPHRASE, enrol_signer
from workflows import decree_signing, decrees
from workflows.models import RenderedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(eko, small_sop, signing_keystore, django_capture_on_commit_callbacks):
    """A final decree with one annex, rendered; Eko (administrator) holds a signing key."""
    enrol_signer(eko, signing_keystore)
    decree = decrees.new_decree(
        year=2026, number="188.4/77", signed_on=date(2026, 3, 2), by=eko, annexes=[small_sop]
    )
    decrees.update_decree(decree, {"status": "final"}, by=eko)
    with django_capture_on_commit_callbacks(execute=True):
        job = decrees.request_rendering(decree=decree, by=eko)
    job.refresh_from_db()
    assert job.status == RenderedDocument.Status.DONE
    return job


def _bytes(job: RenderedDocument) -> bytes:
    with job.file.open("rb") as f:
        return f.read()


def test_the_administrator_signs_the_final_decree_and_it_validates_offline(rendered, eko):
    unsigned = _bytes(rendered)

    signed_job = decree_signing.sign_rendering(rendered, by=eko, passphrase=SIGNING_PASSPHRASE)

    data = _bytes(signed_job)
    report = validation.validate(data)
    assert data != unsigned and report.intact and report.trusted
    assert report.signer == "Eko Administrator"
    assert signed_job.sha256 == hashlib.sha256(data).hexdigest()
    entry = AuditEntry.objects.get(action="workflows.decree.signed")
    assert entry.after["sha256"] == signed_job.sha256 and entry.actor == eko
    assert not decree_signing.may_sign(signed_job)  # once


def test_a_wrong_passphrase_or_a_draft_decree_signs_nothing(rendered, eko):
    unsigned = _bytes(rendered)
    with pytest.raises(ValidationError, match="passphrase"):
        decree_signing.sign_rendering(rendered, by=eko, passphrase="salah")
    rendered.refresh_from_db()
    assert rendered.signed_at is None and _bytes(rendered) == unsigned

    decrees.update_decree(rendered.decree, {"status": "draft"}, by=eko)
    with pytest.raises(ValidationError, match="final decree"):
        decree_signing.sign_rendering(rendered, by=eko, passphrase=SIGNING_PASSPHRASE)
    assert not AuditEntry.objects.filter(action="workflows.decree.signed").exists()


def test_only_an_administrator_signs(rendered, budi):
    with pytest.raises(PermissionDenied):
        decree_signing.sign_rendering(rendered, by=budi, passphrase=SIGNING_PASSPHRASE)


def test_the_decree_page_signs_and_says_who_signed(rendered, eko):
    client = Client()
    client.force_login(eko)
    url = reverse("workflows:decree_detail", args=[rendered.decree_id])
    assert "Sign the PDF electronically" in client.get(url).content.decode()

    sign = reverse("workflows:decree_sign", args=[rendered.decree_id])
    wrong = client.post(sign, {"passphrase": "salah"})
    assert wrong.status_code == 400 and "passphrase" in wrong.content.decode()

    done = client.post(sign, {"passphrase": SIGNING_PASSPHRASE}, follow=True)
    page = done.content.decode()
    assert "Signed electronically by Eko Administrator" in page
    rendered.refresh_from_db()
    assert rendered.sha256 in page
