"""Uploads are checked by content before anything is stored: every attack gets a clear message
and leaves no file behind, and real files of every accepted format go through."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from permits import pdfscan
from permits.storage import private_storage, private_upload_to
from permits.uploads import CheckedUpload, UploadRejected, accepted_formats, validate_upload

# --- Sample files, built here so that no binary fixture is needed -------------------------


def pdf_bytes(
    *extra_objects: bytes, catalog_extra: bytes = b"", trailer_extra: bytes = b""
) -> bytes:
    """A small valid one-page PDF; ``extra_objects`` are appended as objects 4, 5, …"""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *extra_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1)
        + trailer_extra
        + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def stream_object(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d " % len(data) + dictionary + b">>\nstream\n" + data + b"\nendstream"


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pillow_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(out, fmt)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Daftar kendaraan"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="%s" ContentType="%s"/></Types>'
)


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES
            % (
                b"/word/document.xml",
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsm_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES
            % (b"/xl/workbook.xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
            "xl/workbook.xml": b"<workbook/>",
            "xl/vbaProject.bin": b"\x00" * 64,
        }
    )


def kmz_bytes() -> bytes:
    return zip_bytes({"doc.kml": b'<?xml version="1.0"?><kml><Placemark/></kml>'})


HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/')</script></body></html>"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


# --- Helpers ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return Path(settings.PRIVATE_MEDIA_ROOT)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def raw_named(name: str, content: bytes) -> File:
    """A file carrying the client's name untouched (Django's UploadedFile would strip folders,
    but the check must not depend on who built the object)."""
    return File(io.BytesIO(content), name=name)


def attach(uploaded, formats=("pdf", "jpg"), **options) -> str:
    """What an upload view does: check, then store under an unguessable private name."""
    checked = validate_upload(uploaded, formats=formats, **options)
    return private_storage.save(private_upload_to(None, checked.storage_name), uploaded)


def stored_files(settings) -> list[Path]:
    roots = [Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def refused(settings, uploaded, formats=("pdf", "jpg"), **options) -> str:
    """The message of the refusal; and nothing was stored."""
    with pytest.raises(UploadRejected) as caught:
        attach(uploaded, formats, **options)
    assert stored_files(settings) == []
    (message,) = caught.value.messages
    return message


# --- Attacks: one each --------------------------------------------------------------------


def test_it_refuses_a_png_behind_a_pdf_name(settings):
    message = refused(settings, upload("ktp.pdf", png_bytes()))
    assert message == (
        "The file «ktp.pdf» is not a PDF document: its content is a PNG image. Accepted: PDF, JPG."
    )


def test_it_refuses_a_file_over_the_size_limit(settings):
    message = refused(settings, upload("ktp.pdf", pdf_bytes()), max_bytes=100)
    assert message.startswith("The file «ktp.pdf» is too large: ")
    assert f"the limit is {filesizeformat(100)}." in message


def test_it_takes_the_default_size_limit_from_the_settings(settings):
    settings.UPLOAD_MAX_BYTES = 200
    message = refused(settings, upload("ktp.pdf", pdf_bytes()))
    assert f"the limit is {filesizeformat(200)}." in message


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("an oversize upload must be refused before it is read")


def test_it_refuses_an_oversize_upload_without_reading_it(settings):
    huge = File(Unreadable(), name="scan.pdf")
    huge.size = 1024**3
    message = refused(settings, huge)
    assert (
        f"is too large: {filesizeformat(1024**3)}, the limit is {filesizeformat(10 * 1024**2)}."
        in message
    )


def test_it_refuses_an_empty_file(settings):
    message = refused(settings, upload("ktp.pdf", b""))
    assert message == (
        "The file «ktp.pdf» is empty (0 bytes). Choose the right file and upload it again."
    )


def test_it_refuses_an_html_page_even_behind_a_pdf_name(settings):
    message = refused(settings, upload("ktp.pdf", HTML))
    assert message == (
        "The file «ktp.pdf» is a web page (HTML). Web pages and SVG images can carry scripts and "
        "are never accepted. Accepted: PDF, JPG."
    )


def test_it_refuses_html_even_when_the_sop_lists_it(settings):
    message = refused(settings, upload("denah.html", HTML), formats=["html", "pdf"])
    assert "is a web page (HTML)" in message
    assert message.endswith("Accepted: PDF.")


def test_it_refuses_an_svg_with_a_script(settings):
    message = refused(settings, upload("logo.svg", SVG, "image/svg+xml"), formats=["svg", "png"])
    assert message == (
        "The file «logo.svg» is an SVG image. Web pages and SVG images can carry scripts and are "
        "never accepted. Accepted: PNG."
    )


def test_it_refuses_a_pdf_with_javascript(settings):
    action = b"<< /Type /Action /S /JavaScript /JS (app.alert('hi')) >>"
    content = pdf_bytes(action, catalog_extra=b"/OpenAction 4 0 R ")
    message = refused(settings, upload("ktp.pdf", content))
    assert message == (
        "The file «ktp.pdf» is a PDF document that contains JavaScript, which could run on the "
        "reader's computer. Print it to a new PDF or scan it, and upload that instead."
    )


def test_it_refuses_a_pdf_whose_javascript_name_is_escaped(settings):
    action = b"<< /S /J#61va#53cript /J#53 (app.alert(1)) >>"
    content = pdf_bytes(action, catalog_extra=b"/OpenAction 4 0 R ")
    assert "contains JavaScript" in refused(settings, upload("ktp.pdf", content))


def test_it_refuses_a_pdf_hiding_javascript_in_a_compressed_object_stream(settings):
    objects = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
    compressed = zlib.compress(objects)
    content = pdf_bytes(
        stream_object(compressed, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "),
        catalog_extra=b"/OpenAction 5 0 R ",
    )
    assert b"JavaScript" not in content
    assert "contains JavaScript" in refused(settings, upload("ktp.pdf", content))


def test_it_refuses_a_pdf_that_launches_a_program(settings):
    action = b"<< /S /Launch /F (cmd.exe) >>"
    content = pdf_bytes(action, catalog_extra=b"/OpenAction 4 0 R ")
    message = refused(settings, upload("ktp.pdf", content))
    assert "contains an action that starts a program" in message


def test_it_refuses_a_pdf_with_an_embedded_file(settings):
    content = pdf_bytes(stream_object(b"MZ\x90\x00", b"/Type /EmbeddedFile "))
    assert "contains embedded files" in refused(settings, upload("ktp.pdf", content))


def test_it_refuses_an_encrypted_pdf(settings):
    content = pdf_bytes(b"<< /Filter /Standard /V 2 >>", trailer_extra=b"/Encrypt 4 0 R ")
    message = refused(settings, upload("ktp.pdf", content))
    assert "is a password-protected or encrypted PDF document" in message


def test_it_refuses_a_pdf_cut_off_before_its_end(settings):
    content = pdf_bytes(stream_object(bytes(range(256)) * 20))
    message = refused(settings, upload("ktp.pdf", content[: len(content) // 2]))
    assert message.startswith("The file «ktp.pdf» is an incomplete PDF document")


def test_it_refuses_a_pdf_that_inflates_beyond_what_it_can_check(settings, monkeypatch):
    monkeypatch.setattr(pdfscan, "INFLATE_LIMIT", 1024 * 1024)
    bomb = zlib.compress(b"\x00" * 2 * 1024 * 1024, 9)
    content = pdf_bytes(stream_object(bomb, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "))
    message = refused(settings, upload("ktp.pdf", content))
    assert message == (
        "The file «ktp.pdf» could not be checked: it holds too much compressed data. Print it "
        "to a new PDF and upload that instead."
    )


def test_it_accepts_a_real_pdf_and_refuses_it_once_a_script_is_added(settings):
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    from weasyprint import HTML

    # WeasyPrint writes compressed object streams, so the scan goes through them too.
    page = "<h1>Surat Keterangan</h1>" + "<p>Kendaraan angkutan barang.</p>" * 40
    clean = HTML(string=page).write_pdf()
    assert b"/ObjStm" in clean
    assert validate_upload(upload("surat.pdf", clean), formats=["pdf"]).size == len(clean)

    writer = PdfWriter(clone_from=io.BytesIO(clean))
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('https://example.invalid')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    scripted = io.BytesIO()
    writer.write(scripted)
    assert "contains JavaScript" in refused(settings, upload("surat.pdf", scripted.getvalue()))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "/etc/passwd.pdf", "..\\..\\windows\\win.ini.pdf", "..", "."],
)
def test_it_refuses_a_name_with_a_folder_path(settings, name):
    message = refused(settings, raw_named(name, pdf_bytes()))
    assert "contains a folder path. Choose the file itself and upload it again." in message


def test_it_judges_a_double_extension_by_content(settings):
    message = refused(settings, upload("ktp.pdf.html", HTML))
    assert "«ktp.pdf.html» is a web page (HTML)" in message

    message = refused(settings, upload("ktp.pdf.html", pdf_bytes()))
    assert message == (
        "The name of the file «ktp.pdf.html» ends in .html but its content is a PDF document. "
        "Rename it to end in .pdf and upload it again."
    )

    checked = validate_upload(upload("ktp.html.pdf", pdf_bytes()), formats=["pdf"])
    assert (checked.safe_name, checked.extension) == ("ktp.html.pdf", "pdf")


def test_it_refuses_a_nul_in_the_name(settings):
    message = refused(settings, raw_named("ktp.pdf\x00.html", pdf_bytes()))
    assert message == (
        "The file name «ktp.pdf .html» contains control characters. Rename the file and upload "
        "it again."
    )


def test_it_refuses_a_name_that_reverses_its_extension(settings):
    # A right-to-left override makes "ktp\u202efdp.exe" show as "ktpexe.pdf".
    message = refused(settings, upload("ktp\u202efdp.exe", b"MZ\x90\x00" * 10))
    assert "contains hidden characters that change how it is displayed" in message


def test_it_refuses_an_overlong_name(settings):
    message = refused(settings, raw_named("a" * 300 + ".pdf", pdf_bytes()))
    assert message == (
        "The file name is too long (304 characters, at most 255). Rename the file and upload it "
        "again."
    )


def test_it_refuses_an_office_file_with_macros(settings):
    message = refused(settings, upload("daftar.xlsx", xlsm_bytes()), formats=["pdf", "xlsx"])
    assert message.startswith(
        "The file «daftar.xlsx» is an Excel workbook with macros; macros could run"
    )


def test_it_refuses_a_damaged_office_file(settings):
    content = xlsx_bytes()
    message = refused(settings, upload("daftar.xlsx", content[:-200]), formats=["xlsx"])
    assert message.startswith("The file «daftar.xlsx» is damaged and cannot be opened")


def test_it_refuses_an_office_file_whose_parts_are_encrypted(settings):
    content = bytearray(docx_bytes())
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := content.find(header, start)) >= 0:
            content[start + flags_at] |= 0x1  # "encrypted": unreadable without a password
            start += 4
    message = refused(settings, upload("proposal.docx", bytes(content)), formats=["docx"])
    assert message == (
        "The file «proposal.docx» is not a Word document (DOCX): its content is a ZIP archive. "
        "Accepted: DOCX."
    )


def test_it_refuses_a_program_and_says_what_it_is(settings):
    message = refused(settings, upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 100))
    assert message == (
        "The file «setup.exe» is a Windows program, which is not accepted here. Accepted: PDF, JPG."
    )


def test_it_refuses_a_format_the_requirement_does_not_list(settings):
    message = refused(settings, upload("foto.png", png_bytes()), formats=["pdf"])
    assert message == (
        "The file «foto.png» is a PNG image, which is not accepted here. Accepted: PDF."
    )


def test_it_refuses_an_accepted_type_under_another_accepted_name(settings):
    message = refused(settings, upload("foto.jpg", pdf_bytes()), formats=["pdf", "jpg"])
    assert message == (
        "The file «foto.jpg» is not a JPG image: its content is a PDF document. Rename it to end "
        "in .pdf, or choose the right file. Accepted: PDF, JPG."
    )


# --- Good files ---------------------------------------------------------------------------


GOOD = [
    ("surat.pdf", pdf_bytes, ["pdf"], "pdf", "application/pdf"),
    ("ktp.jpg", lambda: pillow_bytes("JPEG"), ["jpg"], "jpg", "image/jpeg"),
    ("KTP.JPEG", lambda: pillow_bytes("JPEG"), ["jpg"], "jpg", "image/jpeg"),
    ("foto.png", png_bytes, ["png"], "png", "image/png"),
    ("foto.webp", lambda: pillow_bytes("WEBP"), ["webp"], "webp", "image/webp"),
    (
        "armada.xlsx",
        xlsx_bytes,
        ["pdf", "xlsx"],
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "proposal.docx",
        docx_bytes,
        ["docx"],
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("lokasi.kmz", kmz_bytes, ["pdf", "kmz"], "kmz", "application/vnd.google-earth.kmz"),
    ("lampiran.zip", xlsx_bytes, ["pdf", "zip"], "zip", "application/zip"),
]


@pytest.mark.parametrize(("name", "build", "formats", "extension", "content_type"), GOOD)
def test_it_accepts_a_real_file_of_each_format(
    settings, name, build, formats, extension, content_type
):
    import hashlib

    content = build()
    uploaded = upload(name, content, content_type="text/html")  # the browser's word is ignored
    checked = validate_upload(uploaded, formats=formats)
    assert checked == CheckedUpload(
        safe_name=name,
        extension=extension,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert uploaded.read() == content  # rewound for the caller to store


def test_it_stores_an_accepted_file_whole_under_a_private_name(settings, private_root):
    content = pdf_bytes(stream_object(bytes(range(256)) * 1000))  # several read chunks
    name = attach(upload("Surat Izin.pdf", content))
    assert name.endswith(".pdf") and "Surat" not in name
    assert (private_root / name).read_bytes() == content


def test_it_accepts_a_pdf_whose_image_data_happens_to_spell_js(settings):
    image = b"\x12\x34/JS (\x00\x99" * 50 + b"/JS<" + b"\xfe" * 100
    content = pdf_bytes(stream_object(image, b"/Type /XObject /Subtype /Image /Filter /DCTDecode "))
    assert validate_upload(upload("scan.pdf", content), formats=["pdf"]).extension == "pdf"


def test_it_accepts_a_name_without_extension_by_its_content(settings):
    checked = validate_upload(upload("IMG_2024", png_bytes()), formats=["pdf", "png"])
    assert (checked.safe_name, checked.extension) == ("IMG_2024.png", "png")


def test_it_shortens_a_long_name_for_showing(settings):
    checked = validate_upload(upload("surat " * 40 + ".pdf", pdf_bytes()), formats=["pdf"])
    assert len(checked.safe_name) <= 100
    assert checked.safe_name.endswith("….pdf")


def test_it_accepts_pdf_jpg_png_when_the_requirement_lists_no_format():
    assert accepted_formats([]) == ["pdf", "jpg", "png"]
    assert accepted_formats(["PDF", "jpeg", "dwg", "svg"]) == ["pdf", "jpg"]


def test_it_says_so_when_the_requirement_lists_only_formats_it_cannot_check(settings):
    message = refused(settings, upload("gambar.dwg", b"AC1032" + b"\x00" * 100), formats=["dwg"])
    assert message == (
        "The portal cannot check files of the type asked for here (DWG), so it cannot take "
        "«gambar.dwg». Please tell the office."
    )


def test_it_checks_a_large_upload_spooled_to_disk_by_a_real_request(settings, private_root):
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.test import RequestFactory

    content = pdf_bytes(stream_object(bytes(range(256)) * 12_000))  # over the 2.5 MB spool limit
    sent = upload("../../etc/KTP Ani.pdf", content)
    sent.name = "../../etc/KTP Ani.pdf"  # as a hostile client would send it
    request = RequestFactory().post("/unggah/", {"berkas": sent})
    received = request.FILES["berkas"]
    assert isinstance(received, TemporaryUploadedFile)

    checked = validate_upload(received, formats=["pdf"])
    assert checked.safe_name == "KTP Ani.pdf"  # Django already cut the folders off
    name = private_storage.save(private_upload_to(None, checked.storage_name), received)
    assert (private_root / name).read_bytes() == content
    assert "KTP" not in name and "etc" not in name
    received.close()  # as Django does at the end of a request: the temporary file was moved
