"""The API of an issued permit's life: detail with signature status and standing, the signed
file, the head's standing changes, the holder's renewal and amendment, and the public
verification's standing."""

import hashlib
from datetime import date

import pytest

from permits import actions
from permits.models import Application, IssuedDocument
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(two_opd, cast):
    two_opd.validity_value, two_opd.validity_unit = 2, "years"
    two_opd.save()
    application = submitted(two_opd, cast.ani)
    return actions.issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )


def test_it_gives_the_holder_the_signature_status_validity_and_file(as_user, cast, permit):
    body = as_user(cast.ani).get(f"/api/v1/issued-documents/{permit.pk}/").json()
    assert body["standing"] == "valid" and body["valid_until"] == "2028-12-01"
    assert body["signature"]["valid"] and body["signature"]["signer"] == "Dewi Kepala"
    file = as_user(cast.ani).get(f"/api/v1/issued-documents/{permit.pk}/file/")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(file.streaming_content)).hexdigest() == body["sha256"]
    assert as_user(cast.bayu).get(f"/api/v1/issued-documents/{permit.pk}/").status_code == 404


def test_only_the_head_changes_the_standing(as_user, cast, permit):
    url = f"/api/v1/issued-documents/{permit.pk}/standing/"
    change = {
        "change": "suspend",
        "reason": "Belum lapor",
        "legal_basis": "Pergub 12/2024",
        "effective_on": "2026-12-02",
    }
    assert as_user(cast.budi).post(url, change, format="json").status_code == 403
    assert as_user(cast.dewi).post(url, {"change": "suspend"}, format="json").status_code == 400
    answer = as_user(cast.dewi).post(url, change, format="json")
    assert answer.status_code == 200 and answer.json()["standing"] == "suspended"
    public = as_user().get(f"/api/v1/verify/{permit.verification_token}/").json()
    assert public["standing"] == "suspended" and public["authentic"] is False
    assert public["effective_on"] == date(2026, 12, 2).isoformat()


def test_the_holder_requests_an_amendment_and_a_revoked_permit_refuses_it(as_user, cast, permit):
    url = f"/api/v1/issued-documents/{permit.pk}/amendment/"
    answer = as_user(cast.ani).post(url, {"note": "Ganti alamat"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["purpose"] == "amendment"
    assert Application.objects.get(pk=answer.json()["id"]).previous_permit == permit
    assert as_user(cast.bayu).post(url, {}, format="json").status_code == 404
    revoke = {
        "change": "revoke",
        "reason": "Dipindahtangankan",
        "legal_basis": "Pergub 12/2024",
        "effective_on": "2026-12-02",
    }
    standing_url = f"/api/v1/issued-documents/{permit.pk}/standing/"
    assert as_user(cast.dewi).post(standing_url, revoke, format="json").status_code == 200
    renewal = as_user(cast.ani).post(
        f"/api/v1/issued-documents/{permit.pk}/renewal/", {}, format="json"
    )
    assert renewal.status_code == 409 and "revoked" in renewal.json()["detail"]
