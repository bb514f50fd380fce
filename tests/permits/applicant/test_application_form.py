"""Applying from the catalogue: the draft form with one upload per requirement, submitting,
the confirmation with the access code (readable again later), and the receipt PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from permits import numbering
from permits.models import Application, ApplicationDocument
from tests.permits.lifecycle.kit import PDF, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, cast, two_opd) -> Application:
    client.force_login(cast.ani)
    client.post(reverse("permits:apply", args=[two_opd.code]))
    return Application.objects.get(applicant=cast.ani)


def _form(draft) -> str:
    return reverse("permits:application_form", args=[draft.pk])


def test_it_offers_the_apply_button_on_the_service_page(client, cast, two_opd):
    url = reverse("permits:service_detail", args=[two_opd.code])
    anonymous = client.get(url).content.decode()
    assert f"{reverse('login')}?next=" in anonymous
    client.force_login(cast.ani)
    assert reverse("permits:apply", args=[two_opd.code]) in client.get(url).content.decode()


def test_it_creates_a_draft_from_the_apply_button(client, cast, two_opd):
    client.force_login(cast.ani)
    response = client.post(reverse("permits:apply", args=[two_opd.code]))
    draft = Application.objects.get(applicant=cast.ani)
    assert draft.status == Application.Status.DRAFT
    assert response.url == _form(draft)
    page = client.get(response.url).content.decode()
    for text in ("KTP", "Denah lokasi", "Foto lokasi", "Mandatory", "Optional", "PDF"):
        assert text in page


def test_it_asks_an_anonymous_visitor_to_sign_in_before_applying(client, two_opd):
    response = client.post(reverse("permits:apply", args=[two_opd.code]))
    assert response.status_code == 302 and reverse("login") in response.url
    assert not Application.objects.exists()


def test_it_stores_a_good_upload_and_shows_it_when_the_draft_is_resumed(client, draft):
    response = client.post(_form(draft), {"save": "1", "doc_ktp": pdf("ktp saya.pdf")})
    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=draft)
    assert document.requirement_code == "ktp" and document.original_name == "ktp saya.pdf"
    page = client.get(_form(draft)).content.decode()
    assert "ktp saya.pdf" in page and "Denah lokasi" in page.split("Still missing")[1]


def test_it_replaces_an_uploaded_file_and_keeps_the_old_version(client, draft):
    client.post(_form(draft), {"save": "1", "doc_ktp": pdf("lama.pdf")})
    client.post(_form(draft), {"save": "1", "doc_ktp": pdf("baru.pdf")})
    current = draft.documents.current().get()
    assert current.original_name == "baru.pdf" and current.version == 2
    assert draft.documents.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("ktp.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64), "ktp.pdf"),
        (SimpleUploadedFile("kosong.pdf", b""), "empty"),
        (SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script></html>"), "ktp.pdf"),
        (
            SimpleUploadedFile(
                "ktp.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
            ),
            "ktp.svg",
        ),
        (SimpleUploadedFile("besar.pdf", PDF + b"%" + b"0" * 4096), "besar.pdf"),
    ],
    ids=["png-behind-pdf", "empty", "html", "svg-script", "oversize"],
)
def test_it_shows_each_refused_upload_its_message_and_stores_nothing(
    client, draft, settings, upload, message
):
    settings.UPLOAD_MAX_BYTES = 2048
    response = client.post(_form(draft), {"save": "1", "doc_ktp": upload, "doc_denah": pdf()})
    assert response.status_code == 400
    errors = response.context["form"].errors["doc_ktp"]
    assert errors and message in " ".join(errors)
    assert message in response.content.decode()
    # The refused file is not stored; the good one beside it is.
    assert list(draft.documents.values_list("requirement_code", flat=True)) == ["denah"]


def test_it_never_uses_a_path_from_the_uploaded_name(client, draft, settings):
    client.post(_form(draft), {"save": "1", "doc_ktp": pdf("../../../etc/ktp.pdf")})
    document = draft.documents.get()
    assert ".." not in document.file.name and "etc" not in document.file.name
    assert document.file.name.startswith(f"applications/{draft.pk}/")
    assert "/" not in document.original_name


def test_it_refuses_to_submit_with_a_mandatory_document_missing(client, draft):
    response = client.post(_form(draft), {"submit": "1", "doc_ktp": pdf()}, follow=True)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert "Denah lokasi" in response.content.decode()


def _submit(client, draft):
    return client.post(_form(draft), {"submit": "1", "doc_ktp": pdf(), "doc_denah": pdf()})


def test_it_submits_and_shows_the_tracking_number_and_the_access_code_again(client, draft):
    response = _submit(client, draft)
    draft.refresh_from_db()
    assert draft.status != Application.Status.DRAFT and draft.tracking_number
    assert response.url == reverse("permits:application_submitted", args=[draft.pk])
    page = client.get(response.url)
    code = page.context["access_code"]
    assert numbering.access_code_matches(draft, code)
    html = page.content.decode()
    assert draft.tracking_number in html and code in html and "Keep the access code" in html
    # A reload (issue 12.4) and the application's page show the same code again.
    assert code in client.get(response.url).content.decode()
    detail = reverse("permits:application_detail", args=[draft.pk])
    assert code in client.get(detail).content.decode()
    # Submitted: the form is closed and leads to the detail page.
    assert client.get(_form(draft)).url == reverse("permits:application_detail", args=[draft.pk])


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_every_receipt_prints_the_access_code(client, draft):
    _submit(client, draft)
    draft.refresh_from_db()
    code = client.get(reverse("permits:application_submitted", args=[draft.pk])).context[
        "access_code"
    ]
    url = reverse("permits:application_receipt", args=[draft.pk])
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    text = _pdf_text(first.content)
    assert draft.tracking_number in text and "Izin Uji Dua OPD" in text and code in text
    assert f"{reverse('permits:track')}?nomor={draft.tracking_number}" in text
    # The QR code is drawn: many filled squares in the page's content stream.
    page = PdfReader(io.BytesIO(first.content)).pages[0]
    assert page.get_contents().get_data().count(b" l\n") > 100
    later = _pdf_text(client.get(url).content)
    assert code in later and "—" not in later.split(draft.tracking_number, 1)[1].split("\n")[1]
