"""Checking a file by parsing it, by kind: PDFs opened with qpdf (``pdf``), images decoded and
walked to their end (``images``), zip-based office files judged by their directory before
anything inflates (``archives``). :func:`check_content` is called by
``permits.uploads.validate_upload`` (the one entry point of every door: application upload page
and API, complaint attachment page and API, staff attachments, SOP workbook import, logo) once
the kind is known from the content; it raises :class:`UploadRejected` with a message."""

import re
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..filetypes import ZIP_ERRORS, ZIP_FAMILY
from . import archives, images, pdf
from .errors import UploadRejected

# What each kind of active PDF content is called in the message that refuses it.
PDF_ACTIVE_CONTENT: dict[str, Promise] = {
    "JavaScript": _("JavaScript"),
    "JS": _("JavaScript"),
    "XFA": _("an XFA form (which carries scripts)"),
    "Launch": _("an action that starts a program"),
    "URI": _("a link that opens a web address"),
    "SubmitForm": _("a form that sends data away"),
    "ImportData": _("an action that imports data"),
    "GoToR": _("a link that opens another file"),
    "EmbeddedFile": _("embedded files"),
    "EmbeddedFiles": _("embedded files"),
    "RichMedia": _("embedded media"),
}
# Markup at the start of a PDF: a browser that sniffs would show a page instead.
PDF_HEAD_MARKUP = re.compile(rb"<\s*(?:script|html|body|iframe|svg|!doctype)", re.IGNORECASE)
# After the last %%EOF only line ends, blanks and NUL padding may follow.
PDF_TRAILING_OK = re.compile(rb"[\x00\t\n\x0c\r ]*")
PDF_TAIL_SEARCH = 1024 * 1024


def check_content(f: IO[bytes], kind: str, size: int, params: dict[str, Any]) -> None:
    """Refuse ``f`` (already known to be ``kind`` from its first bytes, ``size`` bytes long)
    unless parsing it finds exactly a passive file of that kind."""
    if kind in ZIP_FAMILY:
        check_zip(f, size, params)
    elif kind == "pdf":
        _check_pdf(f, size, params)
    elif kind in ("jpg", "png", "webp"):
        _check_image(f, kind, size, params)
    f.seek(0)


def check_zip(f: IO[bytes], size: int, params: dict[str, Any]) -> None:
    """A zip-based file must open, list at least one member, and stay within the members,
    total size and compression ratio of ``archives.zip_limits`` — judged from its directory,
    before a single member is inflated."""
    try:
        verdict = archives.inspect_zip(f, size)
    except ZIP_ERRORS:
        raise UploadRejected(
            _(
                "The file «%(name)s» is damaged and cannot be opened; it may have been cut off "
                "while copying or downloading. Save it again and upload the full file."
            ),
            code="damaged",
            params=params,
        ) from None
    if not verdict.members:
        raise UploadRejected(
            _("The archive «%(name)s» is empty. Choose the right file and upload it again."),
            code="empty",
            params=params,
        )
    max_members, max_total, max_ratio = archives.zip_limits()
    figures = {
        **params,
        "members": verdict.members,
        "max_members": max_members,
        "total": filesizeformat(verdict.uncompressed),
        "max_total": filesizeformat(max_total),
        "ratio": round(verdict.ratio),
        "max_ratio": max_ratio,
    }
    if verdict.problem == "members":
        message = _(
            "The file «%(name)s» holds %(members)d parts, more than the %(max_members)d the "
            "portal can check. Save it again as a plain document and upload that."
        )
    elif verdict.problem == "size":
        message = _(
            "The file «%(name)s» unpacks to %(total)s, more than the %(max_total)s the portal "
            "can check. Split it into smaller files and upload those."
        )
    elif verdict.problem == "ratio":
        message = _(
            "The file «%(name)s» unpacks to %(ratio)d times its size (at most %(max_ratio)d), "
            "which real documents never do. Save it again and upload that."
        )
    else:
        return
    raise UploadRejected(message, code="zip_bomb", params=figures)


def _check_pdf(f: IO[bytes], size: int, params: dict[str, Any]) -> None:
    f.seek(0)
    head = f.read(1024)
    f.seek(max(0, size - PDF_TAIL_SEARCH))
    tail = f.read(PDF_TAIL_SEARCH)
    end = tail.rfind(b"%%EOF")
    if end < 0:
        raise UploadRejected(
            _(
                "The file «%(name)s» is an incomplete PDF document (its end is missing); it may "
                "have been cut off while copying or downloading. Save it again and upload the "
                "full file."
            ),
            code="damaged",
            params=params,
        )
    if PDF_HEAD_MARKUP.search(head) or not PDF_TRAILING_OK.fullmatch(tail[end + 5 :]):
        raise UploadRejected(
            _(
                "The file «%(name)s» is a PDF document with other content (such as a web page) "
                "stuck to it. Print it to a new PDF or scan it, and upload that instead."
            ),
            code="polyglot",
            params=params,
        )
    try:
        found = pdf.active_content(f)
    except pdf.PdfEncrypted:
        raise_encrypted(params)
    except pdf.PdfTooCompressed:
        raise_too_compressed(params)
    except pdf.PdfUnreadable:
        raise UploadRejected(
            _(
                "The file «%(name)s» is a damaged PDF document that cannot be read. Save or "
                "print it again to a new PDF and upload that."
            ),
            code="damaged",
            params=params,
        ) from None
    if found:
        raise_active(found, params)


def raise_too_compressed(params: dict[str, Any]) -> None:
    raise UploadRejected(
        _(
            "The file «%(name)s» could not be checked: it holds too much compressed data. Print "
            "it to a new PDF and upload that instead."
        ),
        code="pdf_unchecked",
        params=params,
    )


def raise_encrypted(params: dict[str, Any]) -> None:
    raise UploadRejected(
        _(
            "The file «%(name)s» is a password-protected or encrypted PDF document, so its "
            "content cannot be checked. Save it without protection and upload it again."
        ),
        code="pdf_encrypted",
        params=params,
    )


def raise_active(found: set[str], params: dict[str, Any]) -> None:
    """Refuse a PDF for the active content ``found`` (keys of ``PDF_ACTIVE_CONTENT``)."""
    what = dict.fromkeys(str(w) for k, w in PDF_ACTIVE_CONTENT.items() if k in found)
    raise UploadRejected(
        _(
            "The file «%(name)s» is a PDF document that contains %(what)s, which could run "
            "on the reader's computer. Print it to a new PDF or scan it, and upload that "
            "instead."
        ),
        code="pdf_active",
        params={**params, "what": ", ".join(what)},
    )


def _check_image(f: IO[bytes], kind: str, size: int, params: dict[str, Any]) -> None:
    try:
        images.check_image(f, kind, size)
    except images.ImageRefused as refusal:
        if refusal.reason == "damaged":
            message = _(
                "The file «%(name)s» is a damaged image that cannot be read. Save it again "
                "(or take a new photo or scan) and upload that."
            )
        else:
            message = _(
                "The file «%(name)s» is an image with other content (such as a web page) hidden "
                "in it. Save it again from an image editor, or take a new scan, and upload that."
            )
        raise UploadRejected(message, code=f"image_{refusal.reason}", params=params) from None
