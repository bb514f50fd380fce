"""An issued permit's life after signing: validity and expiry reminders, the verification page
(standing, signature, hash check of a copy), suspension and revocation by the head, renewal and
amendment by the holder (a revoked permit cannot be followed up; the new permit replaces the
old one, whose page links to it)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from permits import actions, follow_ups, lifecycle, standing, validity
from permits.interchange import export_document, import_document
from permits.issued_documents import verification_url
from permits.models import Application, IssuedDocument, Notification
from signing import validation
from sop_portal.formatting import format_day
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import submitted, two_agency_document
from tests.permits.staff.helpers import client_for
from tests.signing.kit import stored_bytes
from workflows.engine import InvalidState, NotAllowed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # the suite's clock, in WITA
BASIS = "Pergub Sultra 12/2024 pasal 30"


@pytest.fixture
def permit(two_opd, cast) -> IssuedDocument:
    two_opd.validity_value, two_opd.validity_unit = 5, "years"
    two_opd.save()
    application = submitted(two_opd, cast.ani)
    return actions.issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )


def page(issued, client=None, **post):
    client = client or Client()
    url = verification_url(issued, "http://testserver")
    response = client.post(url, post) if post else client.get(url)
    return response, response.content.decode()


def test_it_is_valid_for_the_service_s_period_and_prints_it(permit):
    assert permit.valid_until == date(2031, 12, 1)
    assert validity.standing(permit) == "valid"
    from tests.signing.kit import text_of

    assert "sampai dengan 1 Desember 2031" in " ".join(text_of(stored_bytes(permit)).split())


def test_a_service_without_a_limit_gives_a_permit_without_expiry(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    issued = actions.issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )
    assert issued.valid_until is None and validity.standing(issued) == "valid"


def _notices(issued) -> list[str]:
    return list(
        Notification.objects.filter(text__contains=issued.number).values_list("text", flat=True)
    )


def test_it_reminds_the_holder_once_per_threshold_and_once_on_expiry(permit):
    end = permit.valid_until
    assert validity.sweep(TODAY) == {"reminders": 0, "expired": 0}
    assert validity.sweep(end - timedelta(days=90)) == {"reminders": 1, "expired": 0}
    assert validity.sweep(end - timedelta(days=89)) == {"reminders": 0, "expired": 0}
    assert validity.sweep(end - timedelta(days=30)) == {"reminders": 1, "expired": 0}
    assert validity.sweep(end - timedelta(days=30)) == {"reminders": 0, "expired": 0}
    assert validity.sweep(end) == {"reminders": 0, "expired": 0}
    assert validity.sweep(end + timedelta(days=1)) == {"reminders": 0, "expired": 1}
    assert validity.sweep(end + timedelta(days=2)) == {"reminders": 0, "expired": 0}
    texts = _notices(permit)
    assert len(texts) == 3
    assert sum("in 90 days" in t for t in texts) == 1 and sum("in 30 days" in t for t in texts) == 1
    assert sum("expired on" in t for t in texts) == 1
    permit.refresh_from_db()
    assert permit.reminders_sent == [90, 30] and permit.expiry_notified_at is not None


def test_a_late_first_sweep_sends_only_the_nearest_reminder(permit, settings):
    settings.PERMIT_EXPIRY_REMINDER_DAYS = (90, 30)
    assert validity.sweep(permit.valid_until - timedelta(days=10))["reminders"] == 1
    assert validity.sweep(permit.valid_until - timedelta(days=9))["reminders"] == 0
    assert len(_notices(permit)) == 1


def test_the_pages_show_valid_expiring_and_expired(permit, cast):
    _, html = page(permit)
    assert 'data-standing="valid"' in html
    IssuedDocument.objects.filter(pk=permit.pk).update(valid_until=TODAY + timedelta(days=20))
    permit.refresh_from_db()
    _, html = page(permit)
    assert 'data-standing="expiring"' in html
    IssuedDocument.objects.filter(pk=permit.pk).update(valid_until=TODAY - timedelta(days=1))
    permit.refresh_from_db()
    response, html = page(permit)
    assert response.status_code == 200 and 'data-standing="expired"' in html
    assert "EXPIRED" in html
    detail = client_for(cast.ani).get(
        reverse("permits:application_detail", args=[permit.application_id])
    )
    assert "Expired" in detail.content.decode()


def test_the_page_shows_the_signature_and_checks_a_copy_s_hash(permit):
    _, html = page(permit)
    assert "Intact, signed by Dewi Kepala" in html and permit.sha256 in html
    original = stored_bytes(permit)
    response, html = page(permit, file=SimpleUploadedFile("izin.pdf", original))
    assert response.status_code == 200 and "Match: this file is exactly" in html
    tampered = original.replace(permit.holder_name.encode(), b"Ani Pemalsu", 1)
    if tampered == original:  # the name is compressed in the content stream: flip a byte
        tampered = original[:-100] + bytes([original[-100] ^ 1]) + original[-99:]
    response, html = page(permit, file=SimpleUploadedFile("izin.pdf", tampered))
    assert response.status_code == 200 and "No match" in html
    # Offline, pyHanko says the same of the tampered copy.
    assert validation.validate(original).valid and not validation.validate(tampered).valid


def test_the_hash_check_refuses_a_missing_file_with_a_400(permit):
    response = Client().post(verification_url(permit, "http://testserver"), {})
    assert response.status_code == 400


def test_only_the_head_suspends_and_revokes_and_the_page_says_so_at_once(permit, cast):
    with pytest.raises(NotAllowed):
        standing.suspend(permit, cast.budi, "Alasan", BASIS, TODAY)
    with pytest.raises(InvalidState):
        standing.suspend(permit, cast.dewi, "Alasan", "", TODAY)
    standing.suspend(permit, cast.dewi, "Belum memperpanjang asuransi", BASIS, TODAY)
    _, html = page(permit)
    assert 'data-standing="suspended"' in html and BASIS in html
    standing.reinstate(permit, cast.dewi, "Asuransi diperpanjang", BASIS, TODAY)
    _, html = page(permit)
    assert 'data-standing="valid"' in html
    standing.revoke(permit, cast.dewi, "Izin dipindahtangankan", BASIS, date(2026, 12, 3))
    _, html = page(permit)
    assert 'data-standing="revoked"' in html, html[html.find("verify-result") - 200 :][:600]
    result = html[html.find("verify-result") :][:300]
    assert format_day(date(2026, 12, 3)) in result
    assert any("was revoked" in t for t in _notices(permit))
    with pytest.raises(InvalidState):
        standing.reinstate(permit, cast.dewi, "Salah", BASIS, TODAY)


def test_the_head_changes_the_standing_on_a_page(permit, cast):
    url = reverse("permits:issued_standing", args=[permit.pk])
    assert client_for(cast.budi).get(url).status_code == 404
    response = client_for(cast.dewi).post(
        url,
        {
            "change": "revoke",
            "reason": "Izin dipindahtangankan",
            "legal_basis": BASIS,
            "effective_on": "2026-12-02",
        },
    )
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.status == IssuedDocument.Status.REVOKED
    bad = client_for(cast.dewi).post(url, {"change": "suspend"})
    assert bad.status_code == 400


def test_a_revoked_permit_cannot_be_renewed_or_amended(permit, cast):
    standing.revoke(permit, cast.dewi, "Izin dipindahtangankan", BASIS, TODAY)
    for purpose in ("renewal", "amendment"):
        with pytest.raises(InvalidState, match="revoked"):
            follow_ups.start(permit, cast.ani, purpose)
    with pytest.raises(NotAllowed):
        follow_ups.start(permit, cast.bayu, "amendment")


def test_an_amendment_replaces_the_permit_and_the_old_page_names_the_new(permit, cast):
    draft = follow_ups.start(permit, cast.ani, "amendment", "Ganti alamat kantor")
    assert draft.purpose == Application.Purpose.AMENDMENT and draft.previous_permit == permit
    assert draft.status == Application.Status.DRAFT
    # Pre-filled: the permit's application's documents are copied (the draft owns its files).
    assert draft.documents.current().count() == permit.application.documents.current().count()
    assert follow_ups.start(permit, cast.ani, "amendment") == draft  # asking again: same draft
    lifecycle.submit(draft, cast.ani)
    new = actions.issue(draft, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE)
    permit.refresh_from_db()
    assert permit.status == IssuedDocument.Status.REPLACED and permit.replaced_by == new
    assert new.data["replaces"] == permit.number
    _, html = page(permit)
    assert 'data-standing="replaced"' in html and new.number in html
    assert reverse("permits:verify", args=[new.verification_token]) in html
    with pytest.raises(InvalidState, match="replaced"):
        follow_ups.start(permit, cast.ani, "renewal")


def test_a_renewal_made_early_runs_on_from_the_old_expiry(permit, cast):
    draft = follow_ups.start(permit, cast.ani, "renewal")
    lifecycle.submit(draft, cast.ani)
    new = actions.issue(draft, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE)
    assert new.valid_until == date(2036, 12, 1)


def test_the_holder_starts_an_amendment_from_the_application_page(permit, cast):
    url = reverse("permits:issued_follow_up", args=[permit.pk, "amendment"])
    assert client_for(cast.bayu).post(url).status_code == 404
    response = client_for(cast.ani).post(url, {"note": "Ganti alamat"})
    draft = Application.objects.get(previous_permit=permit)
    assert response.status_code == 302 and str(draft.pk) in response["Location"]


def test_a_service_declares_a_renewal_sop_in_the_interchange_format(two_opd, cast):
    document = two_agency_document()
    document["service"]["validity"] = {"value": 3, "unit": "years"}
    document["service"]["renewal_required"] = True
    import_document(document, publish=True)
    renewal = two_agency_document()
    renewal["purpose"] = "renewal"
    renewal["service"] = document["service"]
    renewal["sop"]["name"] = "Pelayanan Perpanjangan Izin Uji Dua OPD"
    version = import_document(renewal, publish=True)
    two_opd.refresh_from_db()
    assert two_opd.renewal_sop == version.sop and two_opd.sop != version.sop
    assert two_opd.validity_label == "3 years" and two_opd.renewal_required
    exported = export_document(version)
    assert exported["purpose"] == "renewal"
    assert exported["service"]["validity"] == {"value": 3, "unit": "years"}
    assert two_opd.published_sop_for("renewal") == version
    assert two_opd.published_sop_for("new") == two_opd.published_sop
    bad = two_agency_document()
    bad["purpose"] = "extension"
    bad["service"]["validity"] = {"value": 0, "unit": "decades"}
    from permits.interchange import validate_document

    paths = {p.path for p in validate_document(bad)}
    assert {"purpose", "service.validity.value", "service.validity.unit"} <= paths


def test_the_tracking_page_shows_the_permit_s_standing(permit, cast):
    from permits import numbering

    application = permit.application
    code = "KODE2345"
    Application.objects.filter(pk=application.pk).update(
        access_code_hash=numbering.hash_access_code(application.tracking_number, code)
    )
    IssuedDocument.objects.filter(pk=permit.pk).update(valid_until=TODAY - timedelta(days=1))
    response = Client().post(
        reverse("permits:track"), {"nomor": application.tracking_number, "kode": code}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-standing="expired"' in html
