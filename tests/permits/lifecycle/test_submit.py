"""Drafts, submitting, numbers and the access code."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from permits import lifecycle, numbering
from permits.models import Application
from tests.permits.lifecycle.kit import pdf, submitted

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def test_it_refuses_to_submit_without_the_mandatory_documents(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    lifecycle.attach_document(draft, cast.ani, "ktp", pdf())
    with pytest.raises(lifecycle.MissingDocuments) as refused:
        lifecycle.submit(draft, cast.ani)
    assert refused.value.codes == ["denah"]
    assert "Denah lokasi" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.tracking_number is None


def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(lifecycle.UploadRejected):
        lifecycle.attach_document(draft, cast.ani, "ktp", fake)
    assert not draft.documents.exists()


def test_it_gives_a_tracking_number_and_a_code_that_only_it_accepts(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    assert draft.sop_version == two_opd.published_sop
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, cast.ani, code, pdf())
    access_code = lifecycle.submit(draft, cast.ani)
    year = datetime.now(WITA).year
    assert draft.tracking_number == f"SOP-{year}-000001"
    assert len(access_code) == 8 and access_code not in draft.access_code_hash
    assert numbering.access_code_matches(draft, access_code)
    assert numbering.access_code_matches(draft, access_code.lower())
    assert not numbering.access_code_matches(draft, "AAAAAAAA")
    second = submitted(two_opd, cast.bayu)
    assert second.tracking_number == f"SOP-{year}-000002"
    with pytest.raises(lifecycle.InvalidState):
        lifecycle.submit(draft, cast.ani)


def test_it_numbers_documents_from_the_configured_pattern_per_year(db, settings):
    settings.PERMIT_NUMBER_PATTERN = "503/{seq:04d}/DPMPTSP/{month_roman}/{year}"
    first = numbering.draw("permit", datetime(2026, 11, 3, 9, tzinfo=WITA))
    second = numbering.draw("permit", datetime(2026, 12, 30, 9, tzinfo=WITA))
    next_year = numbering.draw("permit", datetime(2027, 1, 4, 9, tzinfo=WITA))
    assert [n for n, _y, _s in (first, second, next_year)] == [
        "503/0001/DPMPTSP/XI/2026",
        "503/0002/DPMPTSP/XII/2026",
        "503/0001/DPMPTSP/I/2027",
    ]
    settings.PERMIT_NUMBER_PATTERN = "IZIN-{year}-{seq}"
    assert numbering.draw("permit", datetime(2027, 2, 1, tzinfo=WITA))[0] == "IZIN-2027-2"


def test_it_refuses_a_draft_for_a_service_without_a_published_sop(two_opd, cast):
    two_opd.is_active = False
    two_opd.save()
    with pytest.raises(lifecycle.InvalidState):
        lifecycle.create_draft(two_opd, cast.ani)
