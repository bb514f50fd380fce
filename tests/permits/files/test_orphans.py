"""Stored files follow their rows: a request that fails after writing some files leaves none,
a deleted row's file goes once the deletion commits (and stays if it rolls back), and
``remove_stray_files`` finds what no row names. These tests commit for real
(``transaction=True``): the hooks run on commit and rollback."""

import io
import os
from pathlib import Path

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from feedback import complaints
from feedback.models import Complaint
from permits import filekeeping
from permits.models import ApplicationDocument, Attachment
from permits.storage import private_storage
from tests.permits.files import hostile
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import engine

pytestmark = pytest.mark.django_db(transaction=True)


def files_on_disk(settings) -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def big_pdf(megabytes: int) -> bytes:
    """A passive PDF of about ``megabytes`` MB (an uncompressed image-like stream)."""
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        data = os.urandom(megabytes * 1024 * 1024)
        document.pages[0].Resources = pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im0=document.make_stream(data))
        )
        document.save(out, compress_streams=False)
    return out.getvalue()


def test_a_multi_file_request_failing_on_the_third_file_leaves_no_file(cast, two_opd, settings):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    before = files_on_disk(settings)
    content = big_pdf(3)
    client = APIClient()
    client.force_authenticate(cast.citra)
    response = client.post(
        f"/api/v1/tasks/{the_task(application, 3, 'DISHUB').pk}/complete/",
        {
            "verdict": "recommend",
            "attachments": [
                SimpleUploadedFile("bap-1.pdf", content),
                SimpleUploadedFile("bap-2.pdf", content),
                SimpleUploadedFile("bap-3.pdf", hostile.js_in_object_stream(["ASCII85Decode"])),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "bap-3.pdf" in response.json()["detail"]
    assert not Attachment.objects.exists()
    assert files_on_disk(settings) == before  # the two good files written first are gone


def test_the_same_request_with_three_good_files_keeps_all_three(cast, two_opd, settings):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    before = files_on_disk(settings)
    client = APIClient()
    client.force_authenticate(cast.citra)
    response = client.post(
        f"/api/v1/tasks/{the_task(application, 3, 'DISHUB').pk}/complete/",
        {
            "verdict": "recommend",
            "attachments": [
                SimpleUploadedFile(f"bap-{n}.pdf", hostile.clean_pdf()) for n in (1, 2, 3)
            ],
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert len(files_on_disk(settings) - before) == 3 == Attachment.objects.count()


def test_a_file_written_in_a_rolled_back_savepoint_goes_and_the_committed_one_stays(settings):
    with transaction.atomic():
        kept = private_storage.save("documents/kept.pdf", ContentFile(b"%PDF-1.7 kept"))
        try:
            with transaction.atomic():
                lost = private_storage.save("documents/lost.pdf", ContentFile(b"%PDF-1.7 lost"))
                raise RuntimeError("the row could not be saved")
        except RuntimeError:
            pass
        assert filekeeping.discard_rolled_back() == []  # still inside the transaction
    assert filekeeping.discard_rolled_back() == [lost]
    assert private_storage.exists(kept) and not private_storage.exists(lost)


def test_a_file_of_a_rolled_back_transaction_goes_at_the_end_of_the_block(settings):
    with pytest.raises(RuntimeError), filekeeping.atomic():
        name = private_storage.save("documents/x.pdf", ContentFile(b"%PDF-1.7"))
        raise RuntimeError
    assert not private_storage.exists(name)


def _complaint_with_attachment(cast) -> Complaint:
    filed = complaints.file_complaint(
        category="other",
        text="Foto antrean",
        attachment=SimpleUploadedFile("antrean.png", hostile.clean_png()),
    )
    return filed.complaint


def test_deleting_a_complaint_deletes_its_attachment_once_committed(cast, settings):
    complaint = _complaint_with_attachment(cast)
    path = Path(complaint.attachment.path)
    assert path.is_file()
    with pytest.raises(RuntimeError), transaction.atomic():
        Complaint.objects.get(pk=complaint.pk).delete()
        assert path.is_file()  # not before the commit
        raise RuntimeError  # rolled back: the row is back, so is its file
    assert path.is_file()
    Complaint.objects.get(pk=complaint.pk).delete()
    assert not path.exists()


def test_deleting_an_application_document_deletes_its_file(cast, two_opd, settings):
    application = submitted(two_opd, cast.ani)
    document = ApplicationDocument.objects.filter(application=application).first()
    path = Path(document.file.path)
    assert path.is_file()
    document.delete()
    assert not path.exists()


def _age(path: Path, seconds: int) -> None:
    then = timezone.now().timestamp() - seconds
    os.utime(path, (then, then))


def test_remove_stray_files_removes_only_old_unreferenced_files(cast, settings, capsys):
    complaint = _complaint_with_attachment(cast)
    referenced = Path(complaint.attachment.path)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    old_stray = root / "documents" / "2026" / "11" / "stray.pdf"
    new_stray = root / "documents" / "2026" / "12" / "in-flight.pdf"
    for path in (old_stray, new_stray):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 personal data")
    elsewhere = Path(settings.MEDIA_ROOT) / "logos" / "hand-placed.png"  # not an upload folder
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes(b"x")
    grace = settings.STRAY_FILE_GRACE_SECONDS
    for path in (referenced, old_stray, elsewhere):
        _age(path, grace + 60)
    _age(new_stray, grace - 60)

    call_command("remove_stray_files", "--dry-run")
    listed = capsys.readouterr().out
    assert str(old_stray) in listed and "nothing deleted" in listed
    assert str(new_stray) not in listed and str(referenced) not in listed
    assert old_stray.exists()

    call_command("remove_stray_files")
    assert "1 stray file(s) deleted" in capsys.readouterr().out
    assert not old_stray.exists()
    assert new_stray.exists() and referenced.exists() and elsewhere.exists()


def test_a_file_replaced_on_its_row_goes_once_the_change_commits(cast, settings):
    complaint = _complaint_with_attachment(cast)
    old = Path(complaint.attachment.path)
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint.attachment.save("baru.png", ContentFile(hostile.clean_png()))
        raise RuntimeError  # rolled back: the row still names the old file
    assert old.is_file()
    assert len(filekeeping.discard_rolled_back()) == 1  # as at the end of a request
    complaint.refresh_from_db()
    complaint.attachment.save("baru.png", ContentFile(hostile.clean_png()))
    assert not old.exists() and Path(complaint.attachment.path).is_file()
    assert len(files_on_disk(settings)) == 1  # the rolled-back attempt's file is gone too
