"""Hostile files are refused by parsing them, with a clear message, and leave nothing stored —
at every door: the upload check itself, the application upload page and API, the complaint
page and API (anonymous), the SOP workbook import, and the logo. The files are built in the
test (``tests.permits.hostile``)."""

import functools
import io
import zipfile
from pathlib import Path

import pikepdf
import pikepdf.settings
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from feedback.models import Complaint
from permits.filescan import pdf
from permits.models import ApplicationDocument
from permits.pdfscan import PdfScanner
from permits.uploads import UploadRejected, validate_upload
from tests.permits.files import hostile
from workflows.models import DocumentSettings
from workflows.spreadsheet import workbook_bytes

pytestmark = pytest.mark.django_db

# name -> (file name, builder, the refusal's code)
ATTACKS = {
    "js in an ASCIIHex object stream": (
        "ktp.pdf",
        lambda: hostile.js_in_object_stream(["ASCIIHexDecode"]),
        "pdf_active",
    ),
    "js in an ASCII85 object stream": (
        "ktp.pdf",
        lambda: hostile.js_in_object_stream(["ASCII85Decode"]),
        "pdf_active",
    ),
    "js in a Hex-then-Flate object stream": (
        "ktp.pdf",
        lambda: hostile.js_in_object_stream(["ASCIIHexDecode", "FlateDecode"]),
        "pdf_active",
    ),
    "names javascript in a Hex-then-Flate object stream": (
        "ktp.pdf",
        lambda: hostile.names_javascript_in_object_stream(["ASCIIHexDecode", "FlateDecode"]),
        "pdf_active",
    ),
    "names javascript in an ASCII85 object stream": (
        "ktp.pdf",
        lambda: hostile.names_javascript_in_object_stream(["ASCII85Decode"]),
        "pdf_active",
    ),
    # qpdf has no memory limit for LZW: an LZW object stream is refused unchecked.
    "js in an LZW object stream": (
        "ktp.pdf",
        lambda: hostile.js_in_object_stream(["LZWDecode"]),
        "pdf_unchecked",
    ),
    "names javascript in an ASCII85-then-LZW object stream": (
        "ktp.pdf",
        lambda: hostile.names_javascript_in_object_stream(["ASCII85Decode", "LZWDecode"]),
        "pdf_unchecked",
    ),
    "xfa form with a script": ("ktp.pdf", hostile.xfa_form, "pdf_active"),
    "uri action": ("ktp.pdf", hostile.uri_action, "pdf_active"),
    "submit-form action": ("ktp.pdf", hostile.submit_form_action, "pdf_active"),
    "launch action": ("ktp.pdf", hostile.launch_action, "pdf_active"),
    "remote go-to action": ("ktp.pdf", hostile.remote_goto_action, "pdf_active"),
    "embedded file": ("ktp.pdf", hostile.embedded_file, "pdf_active"),
    "html after %%EOF": ("ktp.pdf", hostile.html_after_eof, "polyglot"),
    "html before %PDF": ("ktp.pdf", hostile.html_before_pdf, "scriptable"),
    "png with html in a text chunk": ("ktp.png", hostile.png_with_html_text, "image_markup"),
    "png with html in a compressed text chunk": (
        "ktp.png",
        lambda: hostile.png_with_html_text(compressed=True),
        "image_markup",
    ),
    "png with a page after IEND": ("ktp.png", hostile.png_with_trailer, "image_trailing"),
    "jpeg with a page after EOI": ("ktp.jpg", hostile.jpeg_with_trailer, "image_trailing"),
    "1 MB xlsx holding a 400 MB sheet": ("ktp.xlsx", hostile.xlsx_bomb, "zip_bomb"),
}
# What the message names, per refusal (the reader must learn why).
SAYS = {
    "pdf_active": "PDF document that contains",
    "pdf_unchecked": "could not be checked",
    "polyglot": "other content",
    "scriptable": "Web pages and SVG images can carry scripts",
    "image_markup": "other content",
    "image_trailing": "other content",
    "zip_bomb": "unpacks to",
}
FORMATS = ["pdf", "jpg", "png", "xlsx"]


@functools.cache
def attack_bytes(attack: str) -> bytes:
    return ATTACKS[attack][1]()


def attack_file(attack: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(ATTACKS[attack][0], attack_bytes(attack))


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def every_format(two_opd):
    """The KTP requirement accepts every kind attacked here, so each file reaches its check."""
    two_opd.requirements.filter(code="ktp").update(formats=FORMATS)
    return two_opd


# --- The check itself --------------------------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_the_upload_check_refuses_each_attack_with_its_reason(attack):
    with pytest.raises(UploadRejected) as refused:
        validate_upload(attack_file(attack), formats=FORMATS)
    assert refused.value.code == ATTACKS[attack][2]
    message = " ".join(refused.value.messages)
    assert ATTACKS[attack][0] in message and SAYS[refused.value.code] in message


def test_the_byte_scan_alone_missed_the_encoded_object_streams():
    # Why a parser is needed: the old scan inflated only Flate streams.
    for attack in ("js in an ASCIIHex object stream", "js in an ASCII85 object stream"):
        scanner = PdfScanner()
        scanner.feed(attack_bytes(attack))
        scanner.close()
        assert not scanner.names, attack


@pytest.mark.parametrize(
    "filters", [["LZWDecode"], ["ASCII85Decode", "LZWDecode"], ["LZWDecode", "FlateDecode"]]
)
def test_the_parser_finds_javascript_in_lzw_object_streams(filters):
    assert pdf.active_content(io.BytesIO(hostile.js_in_object_stream(filters))) == {"JavaScript"}
    names = hostile.names_javascript_in_object_stream(filters)
    assert pdf.active_content(io.BytesIO(names)) == {"JavaScript"}


def test_an_object_stream_inflating_past_the_limit_is_refused_not_skipped():
    # qpdf stops at its limit and reads the objects inside as null: the walk would see nothing.
    previous = pikepdf.settings.set_qpdf_limits(flate_max_memory=1024 * 1024)
    try:
        hidden = hostile.pdf_with_object_stream(
            [b"<< /S /JavaScript /JS (" + hostile.SCRIPT + b") >>" + b" " * 3 * 1024 * 1024],
            catalog_extra=b"/OpenAction 4 0 R ",
            filters=["ASCIIHexDecode", "FlateDecode"],  # the byte scan does not undo these
        )
        with pytest.raises(UploadRejected) as refused:
            validate_upload(SimpleUploadedFile("besar.pdf", hidden), formats=["pdf"])
    finally:
        pikepdf.settings.set_qpdf_limits(**previous)
    assert refused.value.code == "pdf_unchecked"


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("surat.pdf", hostile.clean_pdf),
        ("foto.png", hostile.clean_png),
        ("foto.png", lambda: _png_with_caption("Foto lokasi <3 km dari jalan")),
    ],
)
def test_the_same_files_without_the_attack_are_accepted(name, build):
    checked = validate_upload(SimpleUploadedFile(name, build()), formats=FORMATS)
    assert checked.safe_name == name


def _png_with_caption(text: str) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Description", text)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_a_pdf_packing_its_objects_in_encoded_streams_is_accepted_when_passive():
    passive = hostile.pdf_with_object_stream(
        [b"<< /Title (Surat) >>"], filters=["ASCIIHexDecode", "FlateDecode"]
    )
    assert validate_upload(SimpleUploadedFile("s.pdf", passive), formats=["pdf"]).size


def test_a_zip_with_too_many_members_is_refused_before_inflating(settings):
    settings.UPLOAD_ZIP_MAX_MEMBERS = 10
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(11):
            archive.writestr(f"part{n}.xml", "<x/>")
    with pytest.raises(UploadRejected) as refused:
        validate_upload(SimpleUploadedFile("lampiran.zip", out.getvalue()), formats=["zip"])
    assert refused.value.code == "zip_bomb" and "11 parts" in refused.value.messages[0]


# --- The application upload: page and API -------------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_the_application_page_refuses_each_attack_and_stores_nothing(
    cast,
    every_format,
    settings,
    attack,
):
    client = Client()
    client.force_login(cast.ani)
    client.post(reverse("permits:apply", args=[every_format.code]))
    draft = cast.ani.applications.get()
    url = reverse("permits:application_form", args=[draft.pk])
    response = client.post(url, {"save": "1", "doc_ktp": attack_file(attack)})
    errors = " ".join(response.context["form"].errors["doc_ktp"])
    assert ATTACKS[attack][0] in errors and SAYS[ATTACKS[attack][2]] in errors
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_the_application_api_refuses_each_attack_and_stores_nothing(
    cast,
    every_format,
    settings,
    attack,
):
    client = APIClient()
    client.force_authenticate(cast.ani)
    pk = client.post("/api/v1/applications/", {"service": every_format.code}, format="json")
    response = client.post(
        f"/api/v1/applications/{pk.json()['id']}/documents/",
        {"requirement": "ktp", "file": attack_file(attack)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert SAYS[ATTACKS[attack][2]] in response.json()["detail"]
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []


# --- The anonymous complaint: page and API ------------------------------------------------

COMPLAINT_ATTACKS = [a for a in ATTACKS if ATTACKS[a][0].rsplit(".", 1)[1] in ("pdf", "png")]


@pytest.mark.parametrize("attack", COMPLAINT_ATTACKS)
def test_the_complaint_page_refuses_each_attack_and_files_nothing(cast, settings, attack):
    response = Client().post(
        "/pengaduan/",
        {"category": "other", "text": "Lihat lampiran", "attachment": attack_file(attack)},
    )
    assert response.status_code == 400
    assert SAYS[ATTACKS[attack][2]] in " ".join(response.context["form"].errors["attachment"])
    assert not Complaint.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("attack", COMPLAINT_ATTACKS)
def test_the_complaint_api_refuses_each_attack_and_files_nothing(cast, settings, attack):
    response = APIClient().post(
        "/api/v1/complaints/",
        {"category": "other", "text": "Lihat lampiran", "attachment": attack_file(attack)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert SAYS[ATTACKS[attack][2]] in response.json()["detail"]
    assert not Complaint.objects.exists()
    assert stored_files(settings) == []


def test_the_complaint_api_keeps_a_clean_attachment(cast, settings):
    response = APIClient().post(
        "/api/v1/complaints/",
        {
            "category": "other",
            "text": "Foto",
            "attachment": SimpleUploadedFile("a.png", hostile.clean_png()),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.attachment_name == "a.png" and complaint.attachment_type == "image/png"
    assert len(stored_files(settings)) == 1


# --- The SOP workbook and the logo ---------------------------------------------------------


@pytest.fixture
def sop_admin(client, cast, akdp):
    client.force_login(cast.eko)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _upload_workbook(client, code: str, content: bytes, name: str = "sop.xlsx"):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        reverse("workflows:sop_upload", args=[code]), {"workbook": upload}, follow=True
    )


def test_a_zip_bomb_workbook_is_refused_at_the_door_without_queueing(sop_admin, akdp, monkeypatch):
    from workflows import tasks

    queued = []
    monkeypatch.setattr(tasks.import_workbook_job, "apply_async", lambda *a, **k: queued.append(a))
    response = _upload_workbook(
        sop_admin, akdp.code, attack_bytes("1 MB xlsx holding a 400 MB sheet")
    )
    assert response.status_code == 400
    assert "unpacks to" in response.content.decode()
    assert queued == [] and akdp.sop.versions.count() == 1


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 200,  # a zip header and nothing sound after it
        hostile.clean_pdf(),
    ],
    ids=["broken zip", "a pdf"],
)
def test_a_malformed_workbook_is_a_400_with_a_message(sop_admin, akdp, content):
    response = _upload_workbook(sop_admin, akdp.code, content)
    assert response.status_code == 400
    assert akdp.sop.versions.count() == 1


def test_a_workbook_with_an_entity_bomb_is_refused_in_the_worker(sop_admin, akdp):
    import openpyxl

    assert openpyxl.DEFUSEDXML  # openpyxl parses with defusedxml
    good = io.BytesIO(workbook_bytes(akdp.sop.versions.get()))
    out = io.BytesIO()
    entities = "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    # A "billion laughs" declared in the workbook part (Office never writes a DTD).
    laughs = ('<!DOCTYPE workbook [<!ENTITY lol "lol">' + entities + "]>").encode()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                declaration, _, rest = data.partition(b"?>")
                data = declaration + b"?>" + laughs + rest if rest else laughs + data
            bomb.writestr(item, data)
    response = _upload_workbook(sop_admin, akdp.code, out.getvalue())
    assert "/unggah/" in response.redirect_chain[-1][0]  # past the door: parsed by the worker
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    assert akdp.sop.versions.count() == 1


def test_a_slow_workbook_is_reported_as_too_slow(sop_admin, akdp, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from workflows import spreadsheet

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(spreadsheet, "load_workbook", too_slow)
    response = _upload_workbook(sop_admin, akdp.code, workbook_bytes(akdp.sop.versions.get()))
    assert response.status_code == 400
    assert "took longer than 60 seconds" in response.content.decode()


def test_the_import_is_queued_with_a_time_limit(sop_admin, akdp, monkeypatch):
    from workflows import tasks

    sent = []
    monkeypatch.setattr(tasks.import_workbook_job, "apply_async", lambda *a, **k: sent.append(k))
    response = _upload_workbook(sop_admin, akdp.code, workbook_bytes(akdp.sop.versions.get()))
    assert sent == [{"soft_time_limit": 55, "time_limit": 60}]
    assert "being read" in response.content.decode()  # the page waits for the worker


def test_someone_else_cannot_see_an_import_result(sop_admin, akdp, cast, monkeypatch):
    from workflows import tasks

    monkeypatch.setattr(tasks.import_workbook_job, "apply_async", lambda *a, **k: None)
    response = sop_admin.post(
        reverse("workflows:sop_upload", args=[akdp.code]),
        {"workbook": SimpleUploadedFile("s.xlsx", workbook_bytes(akdp.sop.versions.get()))},
    )
    other = Client()
    other.force_login(cast.dewi)
    cast.dewi.is_staff = True
    assert other.get(response.url).status_code in (302, 403, 404)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("logo.png", hostile.png_with_trailer(), "other content"),
        ("logo.png", hostile.png_with_html_text(), "other content"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "",
        ),
    ],
    ids=["png trailer", "png text chunk", "svg"],
)
def test_the_logo_goes_through_the_upload_check(cast, settings, name, content, says):
    from workflows.admin_documents import DocumentSettingsForm

    form = DocumentSettingsForm(
        data={
            "government": "PEMERINTAH",
            "unit_name": "DINAS",
            "rows_per_page": 8,
            "orientation": "landscape",
        },
        files={"logo": SimpleUploadedFile(name, content)},
    )
    assert not form.is_valid()
    assert says in " ".join(form.errors["logo"])
    clean = DocumentSettingsForm(
        data=form.data, files={"logo": SimpleUploadedFile("logo.png", hostile.clean_png())}
    )
    assert clean.is_valid(), clean.errors
    assert not DocumentSettings.objects.filter(logo__startswith="documents/logo/logo").exists()
