"""Checking an uploaded document before anything is stored: its name, its size, and its type
read from its content (``permits.filetypes``), never from its name or the browser's word.

One entry point, :func:`validate_upload`. The name's extension must agree with the content.
Web pages and SVG images are always refused (they can carry scripts), and so are Office files
with macros, and encrypted PDFs (their content cannot be checked). Each kind is then checked by
parsing it (``permits.filescan``): PDFs opened with qpdf and refused for JavaScript, XFA, launch,
URI, submit-form, import and remote actions, embedded files or media (and by a byte scan,
``permits.pdfscan``, as well); images decoded and walked to their end marker; zip-based files
judged by their directory (members, total size, compression ratio) before anything inflates.
The size is checked before a byte is read, the file is then read in chunks, and it is left
rewound for the caller to store.
"""

import hashlib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .filescan import (
    check_content,
    check_zip,
    raise_active,
    raise_encrypted,
    raise_too_compressed,
)
from .filescan.errors import UploadRejected
from .filetypes import (
    FORMATS,
    MACRO_KINDS,
    SCRIPTABLE_KINDS,
    ZIP_FAMILY,
    ZIP_MAGIC,
    describe,
    extension_of,
    normal_extension,
    sniff,
)
from .pdfscan import ENCRYPT, PdfScanner, TooCompressed

__all__ = ["CheckedUpload", "UploadRejected", "accepted_formats", "validate_upload"]

# A requirement that names no formats accepts the usual scans and photos.
DEFAULT_FORMATS = ("pdf", "jpg", "png")
MAX_NAME_LENGTH = 255  # no file system gives longer names: anything longer was forged
DISPLAY_NAME_LENGTH = 100
CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    """What :func:`validate_upload` learnt about an accepted file."""

    safe_name: str  # the client's name cleaned up, for showing only (never a storage path)
    extension: str  # from the content, normalised: "jpg", never "JPEG"
    content_type: str  # from the content, never from the browser
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        """A neutral name to hand to ``FieldFile.save``: the upload_to function keeps only its
        extension, which is the one read from the content."""
        return f"document.{self.extension}"


def validate_upload(
    uploaded_file: Any, *, formats: Sequence[str] | None, max_bytes: int | None = None
) -> CheckedUpload:
    """Check ``uploaded_file`` against the accepted ``formats`` (extensions such as ``"pdf"``).

    Raises :class:`UploadRejected` with a message saying what was wrong and what is accepted.
    Stores nothing; leaves the file rewound.
    """
    accepted = accepted_formats(formats)
    limit = max_bytes if max_bytes is not None else _max_bytes()
    raw_name = uploaded_file.name or ""
    _check_name(raw_name)
    name = display_name(raw_name)
    ext = extension_of(name)
    params = {"name": name, "accepted": _labels(accepted)}
    if not accepted:
        raise UploadRejected(
            _(
                "The portal cannot check files of the type asked for here (%(formats)s), so it "
                "cannot take «%(name)s». Please tell the office."
            ),
            code="no_format",
            params={**params, "formats": _labels(formats or [])},
        )

    size = uploaded_file.size
    if not size:
        raise UploadRejected(
            _("The file «%(name)s» is empty (0 bytes). Choose the right file and upload it again."),
            code="empty",
            params=params,
        )
    if size > limit:
        _too_big(params, size, limit)

    head = _read_at(uploaded_file, 0, HEAD_SIZE)
    if head.startswith(ZIP_MAGIC):
        # Judged by its directory before anything (even the type sniffing) reads a member.
        check_zip(uploaded_file, size, params)
    kind = sniff(head, uploaded_file)
    _check_kind(kind, ext, accepted, params)
    sha256 = _read_all(uploaded_file, kind, limit, params)
    if kind not in ZIP_FAMILY:
        check_content(uploaded_file, kind, size, params)
    uploaded_file.seek(0)

    extension = ext if ext in accepted else kind
    return CheckedUpload(
        safe_name=name if ext else f"{name}.{extension}",
        extension=extension,
        content_type=FORMATS[extension].content_type,
        size=size,
        sha256=sha256,
    )


def accepted_formats(formats: Sequence[str] | None) -> list[str]:
    """The formats of a requirement the portal can check, normalised (``"JPEG"`` -> ``"jpg"``).

    HTML, SVG and any type the portal cannot check by content are left out, whatever the SOP
    says: a file that cannot be checked is not taken.
    """
    wanted = [normal_extension(f) for f in (formats or DEFAULT_FORMATS)]
    return [f for f in dict.fromkeys(wanted) if f in FORMATS]


def display_name(name: str) -> str:
    """The client's file name made safe to show: no folders, no control or invisible
    formatting characters, normalised, at most ``DISPLAY_NAME_LENGTH`` characters with the
    extension kept."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        " " if unicodedata.category(c) == "Cc" else c
        for c in name
        if unicodedata.category(c) != "Cf"
    )
    name = " ".join(name.split()).strip(". ")
    if len(name) > DISPLAY_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: DISPLAY_NAME_LENGTH - len(ext) - 2].rstrip() + "…." + ext
        else:
            name = name[: DISPLAY_NAME_LENGTH - 1] + "…"
    return name or "document"


def _max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _labels(formats: Sequence[str]) -> str:
    return ", ".join(f.upper() for f in formats)


def _check_name(name: str) -> None:
    """Refuse names no browser sends: folders, parent references, control characters."""
    params = {"name": display_name(name)}
    if any(unicodedata.category(c) == "Cc" for c in name):  # NUL, line breaks, escapes
        raise UploadRejected(
            _(
                "The file name «%(name)s» contains control characters. Rename the file and "
                "upload it again."
            ),
            code="name_control",
            params=params,
        )
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise UploadRejected(
            _(
                "The file name «%(name)s» contains a folder path. Choose the file itself and "
                "upload it again."
            ),
            code="name_path",
            params=params,
        )
    if any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in name):
        # Right-to-left overrides make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
        raise UploadRejected(
            _(
                "The file name «%(name)s» contains hidden characters that change how it is "
                "displayed. Rename the file and upload it again."
            ),
            code="name_control",
            params=params,
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRejected(
            _(
                "The file name is too long (%(length)d characters, at most %(limit)d). Rename "
                "the file and upload it again."
            ),
            code="name_long",
            params={"length": len(name), "limit": MAX_NAME_LENGTH},
        )


def _too_big(params: dict[str, Any], size: int, limit: int) -> None:
    raise UploadRejected(
        _(
            "The file «%(name)s» is too large: %(size)s, the limit is %(limit)s. Scan it at a "
            "lower resolution or compress it and upload it again."
        ),
        code="too_big",
        params={**params, "size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _check_kind(kind: str, ext: str, accepted: list[str], params: dict[str, Any]) -> None:
    """The content must be an accepted type, and the name must not claim another one."""
    actual = describe(kind)
    if kind in SCRIPTABLE_KINDS:
        raise UploadRejected(
            _(
                "The file «%(name)s» is %(actual)s. Web pages and SVG images can carry scripts "
                "and are never accepted. Accepted: %(accepted)s."
            ),
            code="scriptable",
            params={**params, "actual": actual},
        )
    if kind in MACRO_KINDS:
        raise UploadRejected(
            _(
                "The file «%(name)s» is %(actual)s; macros could run on the reader's computer. "
                "Save it as a normal file without macros and upload it again. "
                "Accepted: %(accepted)s."
            ),
            code="macros",
            params={**params, "actual": actual},
        )
    matches = kind == ext or (ext == "zip" and kind in ZIP_FAMILY)
    if (matches and ext in accepted) or (not ext and kind in accepted):
        return
    if ext in FORMATS and not matches:
        if kind in accepted:
            message = _(
                "The file «%(name)s» is not %(expected)s: its content is %(actual)s. Rename it "
                "to end in .%(kind)s, or choose the right file. Accepted: %(accepted)s."
            )
        else:
            message = _(
                "The file «%(name)s» is not %(expected)s: its content is %(actual)s. "
                "Accepted: %(accepted)s."
            )
        raise UploadRejected(
            message,
            code="mismatch",
            params={**params, "expected": describe(ext), "actual": actual, "kind": kind},
        )
    if ext and kind in accepted:
        raise UploadRejected(
            _(
                "The name of the file «%(name)s» ends in .%(ext)s but its content is "
                "%(actual)s. Rename it to end in .%(kind)s and upload it again."
            ),
            code="mismatch",
            params={**params, "ext": ext, "actual": actual, "kind": kind},
        )
    raise UploadRejected(
        _("The file «%(name)s» is %(actual)s, which is not accepted here. Accepted: %(accepted)s."),
        code="not_accepted",
        params={**params, "actual": actual},
    )


def _read_at(f: IO[bytes], offset: int, length: int) -> bytes:
    f.seek(offset)
    return f.read(length) or b""


def _chunks(f: IO[bytes]) -> Iterator[bytes]:
    f.seek(0)
    while chunk := f.read(CHUNK_SIZE):
        yield chunk


# --- Reading it all: the hash, and the PDF scan ------------------------------------------


def _read_all(f: IO[bytes], kind: str, limit: int, params: dict[str, Any]) -> str:
    """Hash the whole file in chunks (refusing it if it turns out bigger than it said), and
    scan a PDF's bytes for active content on the way (the parser's check follows, in
    ``permits.filescan``; the byte scan also sees what lies outside the parsed objects)."""
    digest = hashlib.sha256()
    scanner = PdfScanner() if kind == "pdf" else None
    read = 0
    for chunk in _chunks(f):
        read += len(chunk)
        if read > limit:
            _too_big(params, read, limit)
        digest.update(chunk)
        if scanner is not None:
            try:
                scanner.feed(chunk)
            except TooCompressed:
                raise_too_compressed(params)
    if scanner is not None:
        scanner.close()
        if ENCRYPT in scanner.names:
            raise_encrypted(params)
        if scanner.names:
            raise_active({name.decode() for name in scanner.names}, params)
    return digest.hexdigest()
