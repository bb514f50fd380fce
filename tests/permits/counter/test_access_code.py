"""The access code after submitting (issue 12.4): readable again by its owner, printed on every
receipt, re-issued by the owner or the front office (the old code stops tracking), audited."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from permits import access_codes, numbering
from permits.access import TrackingRefused, track
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import submitted
from workflows.engine import NotAllowed

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def application(two_opd, cast):
    return submitted(two_opd, cast.ani)


def test_the_code_is_stored_encrypted_not_in_clear(application, cast):
    code = access_codes.readable_code(application, cast.ani)
    assert code and numbering.access_code_matches(application, code)
    assert code not in application.access_code_sealed
    assert code not in application.access_code_hash


def test_only_the_owner_and_the_front_office_read_it(application, cast):
    assert access_codes.readable_code(application, cast.ani)
    assert access_codes.readable_code(application, cast.budi)
    for other in (cast.bayu, cast.citra, cast.dewi):
        assert access_codes.readable_code(application, other) is None


def test_the_owner_reissues_it_and_the_old_code_no_longer_tracks(client, application, cast):
    old = access_codes.readable_code(application, cast.ani)
    assert track(application.tracking_number, old, "10.0.0.1") == application
    client.force_login(cast.ani)
    response = client.post(reverse("permits:application_reissue_code", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    new = access_codes.readable_code(application, cast.ani)
    assert new and new != old
    with pytest.raises(TrackingRefused):
        track(application.tracking_number, old, "10.0.0.2")
    assert track(application.tracking_number, new, "10.0.0.3") == application
    page = client.get(reverse("permits:application_detail", args=[application.pk]))
    assert new in page.content.decode() and old not in page.content.decode()
    url = reverse("permits:application_receipt", args=[application.pk])
    receipt = _text(client.get(url).content)
    assert new in receipt and old not in receipt
    entry = AuditEntry.objects.filter(action="permits.application.access_code_reissued").get()
    assert entry.actor_key == cast.ani.pk and entry.object_id == str(application.pk)
    # The audit trail never holds the code itself.
    assert new not in str(entry.after) and old not in str(entry.after)


def test_the_front_office_reissues_it_and_others_cannot(application, cast):
    old = access_codes.readable_code(application, cast.ani)
    new = access_codes.reissue(application, cast.budi, reason="Lupa kode")
    application.refresh_from_db()
    assert not numbering.access_code_matches(application, old)
    assert numbering.access_code_matches(application, new)
    for outsider in (cast.bayu, cast.citra):
        with pytest.raises(NotAllowed):
            access_codes.reissue(application, outsider)
    application.refresh_from_db()
    assert numbering.access_code_matches(application, new)


def test_another_applicant_cannot_reissue_through_the_page(client, application, cast):
    client.force_login(cast.bayu)
    before = application.access_code_hash
    response = client.post(reverse("permits:application_reissue_code", args=[application.pk]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.access_code_hash == before


def test_an_unreadable_code_after_a_key_change_asks_for_a_new_one(
    client, application, cast, settings
):
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert access_codes.readable_code(application, cast.ani) is None
    client.force_login(cast.ani)
    page = client.get(reverse("permits:application_detail", args=[application.pk])).content.decode()
    assert "Issue a new access code" in page
