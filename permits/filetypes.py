"""What a file is, read from its bytes: the formats the portal accepts, and the names of other
content for messages. Signatures and the parts list of zip files only; nothing is decoded or
extracted."""

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ZIP_PART_LIMIT = 1024 * 1024  # [Content_Types].xml is a few KB in a real Office file
# What a damaged, truncated, encrypted or exotic zip raises when opened or read.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)

ALIASES = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg"}
ZIP_FAMILY = frozenset({"zip", "xlsx", "docx", "kmz"})
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive


@dataclass(frozen=True)
class Format:
    """A file type the portal can accept, with what it is called in messages."""

    extension: str
    content_type: str
    description: Promise


FORMATS: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("pdf", "application/pdf", _("a PDF document")),
        Format("jpg", "image/jpeg", _("a JPG image")),
        Format("png", "image/png", _("a PNG image")),
        Format("webp", "image/webp", _("a WebP image")),
        Format(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _("an Excel workbook (XLSX)"),
        ),
        Format(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _("a Word document (DOCX)"),
        ),
        Format("kmz", "application/vnd.google-earth.kmz", _("a KMZ map (Google Earth)")),
        Format("zip", "application/zip", _("a ZIP archive")),
    )
}
SUPPORTED_FORMATS = frozenset(FORMATS)

# What other content is called in messages; it is recognised only to say what was uploaded.
OTHER_KINDS: dict[str, Promise] = {
    "html": _("a web page (HTML)"),
    "svg": _("an SVG image"),
    "xml": _("an XML document"),
    "text": _("a plain text file"),
    "gif": _("a GIF image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "heic": _("a HEIC photo"),
    "xlsm": _("an Excel workbook with macros"),
    "docm": _("a Word document with macros"),
    "pptx": _("a PowerPoint presentation"),
    "office97": _("a Microsoft Office document in the old format or with a password"),
    "exe": _("a Windows program"),
    "elf": _("a program"),
    "script": _("a script"),
    "rar": _("a RAR archive"),
    "7z": _("a 7-Zip archive"),
    "gzip": _("a GZIP archive"),
    "unknown": _("data of an unknown type"),
}
SCRIPTABLE_KINDS = frozenset({"html", "svg"})
MACRO_KINDS = frozenset({"xlsm", "docm"})


def normal_extension(ext: str) -> str:
    """An extension as the formats name it: ``".JPEG"`` -> ``"jpg"``."""
    ext = ext.strip().lower().lstrip(".")
    return ALIASES.get(ext, ext)


def extension_of(name: str) -> str:
    """The normalised extension of a file name (``"Scan.JPEG"`` -> ``"jpg"``), or ``""``."""
    _stem, dot, ext = name.rpartition(".")
    ext = normal_extension(ext) if dot else ""
    return ext if re.fullmatch(r"[a-z0-9]{1,10}", ext) else ""


def describe(kind: str) -> Promise:
    """What ``kind`` is called in a message: "a PDF document", "a web page (HTML)"."""
    return FORMATS[kind].description if kind in FORMATS else OTHER_KINDS[kind]


# --- Recognising the content -------------------------------------------------------------

HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<title",
    b"<style",
    b"<meta",
    b"<div",
    b"<table",
    b"<img",
    b"<a ",
    b"<p>",
    b"<br",
    b"<h1",
    b"<font",
    b"<!--",
)


def sniff(head: bytes, f: IO[bytes]) -> str:
    """The kind of content, from its first bytes (and the zip directory for zip files)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(f)
    for magic, kind in (
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office97"),
        (b"MZ", "exe"),
        (b"\x7fELF", "elf"),
        (b"#!", "script"),
        (b"Rar!", "rar"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"\x1f\x8b", "gzip"),
    ):
        if head.startswith(magic):
            return kind
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":  # reserved fields
        return "bmp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif"):
        return "heic"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf")
    lowered = text.lstrip().lower()
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<!doctype svg"):
        if b"<svg" in lowered:
            return "svg"
        if b"<html" in lowered or b"xhtml" in lowered:
            return "html"
        return "xml"
    if lowered.startswith(b"<svg"):
        return "svg"
    if lowered.startswith(HTML_STARTS):
        return "html"
    if b"\x00" not in text:
        try:
            text.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the head.
            if error.start < len(text) - 3:
                return "unknown"
        # Text that hides a page further down is still a page to a browser that sniffs.
        return "html" if re.search(rb"<(script|html|iframe)\b", lowered) else "text"
    return "unknown"


def _sniff_zip(f: IO[bytes]) -> str:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                types = _read_part(archive, "[Content_Types].xml")
                macro = b"macroEnabled" in types or any("vbaproject" in n.lower() for n in names)
                if b"spreadsheetml.sheet.main+xml" in types or b"sheet.macroEnabled" in types:
                    return "xlsm" if macro else "xlsx"
                if b"wordprocessingml.document.main+xml" in types or b"document.macroEnabled" in (
                    types
                ):
                    return "docm" if macro else "docx"
                if b"presentationml" in types:
                    return "pptx"
            if any(n.lower().endswith(".kml") for n in names):
                return "kmz"
    except ZIP_ERRORS:
        pass  # a broken archive is reported by the caller, with the file's name
    return "zip"


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        return part.read(ZIP_PART_LIMIT)
