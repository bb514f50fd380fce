"""A PDF opened with a real parser (qpdf, through pikepdf): every object of the file, those
packed in object streams included whatever their filters (Flate, LZW, ASCII85, ASCIIHex,
RunLength, chained), is walked for the names that make a reader run, fetch, send or open
something. The byte scan of ``permits.pdfscan`` runs as well; this is the check that cannot be
fooled by an encoding the byte scan does not undo.

What is looked for (ISO 32000-1:2008, 12.6.4 action types, 12.7.8 XFA forms, 7.11.4 embedded
file streams, 12.5.6.15 file attachment annotations; Adobe's XFA 3.3 specification):
JavaScript actions and the document-level ``/Names /JavaScript`` tree, XFA forms (they carry
their own scripts), Launch, URI, SubmitForm, ImportData, GoToR and GoToE actions, embedded files,
file attachment annotations and rich media. Nothing is rendered or run.
"""

from collections.abc import Iterable
from typing import IO

import pikepdf
import pikepdf.settings

# Dictionary keys that make a PDF active wherever they are.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/RichMediaContent"})
# Name values (an action's /S, an annotation's /Subtype, a stream's /Type) that do.
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/EmbeddedFile",
        "/FileAttachment",
        "/RichMedia",
    }
)
# What each finding is reported as (one word per kind of danger, for the message).
FINDINGS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/XFA": "XFA",
    "/EmbeddedFiles": "EmbeddedFile",
    "/EmbeddedFile": "EmbeddedFile",
    "/FileAttachment": "EmbeddedFile",
    "/RichMediaContent": "RichMedia",
    "/RichMedia": "RichMedia",
    "/Launch": "Launch",
    "/URI": "URI",
    "/SubmitForm": "SubmitForm",
    "/ImportData": "ImportData",
    "/GoToR": "GoToR",
    "/GoToE": "GoToR",
}
MAX_DEPTH = 64  # direct objects nest this deep at most in any real file
# qpdf inflates object streams to parse them: no stream may decode to more than this (a small
# "zip bomb" PDF would otherwise take the process's memory). Process-wide, set once at import
# (pikepdf.settings.set_qpdf_limits); the same figure bounds the byte scan's inflating.
DECODE_LIMIT = 256 * 1024 * 1024
pikepdf.settings.set_qpdf_limits(
    flate_max_memory=DECODE_LIMIT,
    run_length_max_memory=DECODE_LIMIT,
    png_max_memory=DECODE_LIMIT,
    tiff_max_memory=DECODE_LIMIT,
)


class PdfUnreadable(Exception):
    """qpdf cannot open the file: it is not a PDF a reader could show either."""


class PdfTooCompressed(Exception):
    """A stream qpdf must decode to parse the file inflates beyond ``DECODE_LIMIT``."""


class PdfEncrypted(Exception):
    """The file is encrypted (even with an empty password): its content cannot be checked."""


def active_content(f: IO[bytes]) -> set[str]:
    """The kinds of active content (``FINDINGS`` values) in the PDF ``f``; an empty set for a
    passive document. Raises :class:`PdfEncrypted` or :class:`PdfUnreadable`."""
    f.seek(0)
    try:
        pdf = pikepdf.open(f)
    except pikepdf.PasswordError:
        raise PdfEncrypted from None
    except (pikepdf.PdfError, ValueError, OSError, RecursionError) as error:
        raise PdfUnreadable(str(error)) from None
    found: set[str] = set()
    try:
        if pdf.is_encrypted:
            raise PdfEncrypted
        for obj in pdf.objects:
            _walk(obj, found, 0)
        _check_decoded(pdf.get_warnings())
    except (pikepdf.PdfError, RecursionError) as error:
        raise PdfUnreadable(str(error)) from None
    finally:
        pdf.close()
    return found


def _check_decoded(warnings: list[str]) -> None:
    """qpdf goes on when it cannot decode an object stream (over the limit, a broken filter):
    the objects in it read as null, and would pass the walk unseen while a reader that decodes
    them might run them. Such a file is refused, not trusted."""
    for warning in warnings:
        if "limit exceeded" in warning:
            raise PdfTooCompressed
        if "error decoding stream data" in warning or "unfilterable" in warning:
            raise PdfUnreadable(warning)


def _walk(obj: object, found: set[str], depth: int) -> None:
    """Collect the active keys and names of ``obj`` and of the direct objects inside it;
    indirect ones are visited on their own by the loop over ``pdf.objects``."""
    if depth > MAX_DEPTH:
        raise PdfUnreadable("objects nested too deep")
    if isinstance(obj, pikepdf.Name):
        name = str(obj)
        if name in ACTIVE_NAMES:
            found.add(FINDINGS[name])
        return
    if isinstance(obj, pikepdf.Stream):
        children: Iterable = _dictionary_items(obj.stream_dict, found)
    elif isinstance(obj, pikepdf.Dictionary):
        children = _dictionary_items(obj, found)
    elif isinstance(obj, pikepdf.Array):
        children = obj
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _walk(child, found, depth + 1)


def _dictionary_items(dictionary: pikepdf.Dictionary, found: set[str]) -> list:
    values = []
    for key in dictionary.keys():  # noqa: SIM118 (a pikepdf dictionary, not a dict)
        if key in ACTIVE_KEYS:
            found.add(FINDINGS[key])
        values.append(dictionary.get(key))
    return values
