"""Images verified to be exactly their format: decoded in full by Pillow (so the pixels are
real), their structure walked to its end marker with nothing after it, and no text in them
that a browser would take for a page. The file is kept as uploaded (a scan of an identity card
is evidence; re-encoding would change it) — so nothing foreign may ride along.

PNG: chunks to IEND (ISO/IEC 15948, 5.3), text chunks (tEXt, zTXt, iTXt, 11.3.4) read and
refused when they hold markup. JPEG: segments from SOI to EOI (ITU-T T.81, B.1); after EOI
only the further images of a multi-picture file (CIPA DC-007 MPF, appended as SOI…EOI) may
follow. WebP: the RIFF size must be the file's size (RFC 9649, 2.5)."""

import re
import struct
import warnings
import zlib
from typing import IO

from PIL import Image, UnidentifiedImageError

# Markup a browser would run or render; looked for in text chunks and comments only.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|svg|object|embed|img|meta|!doctype|a\s)|javascript:",
    re.IGNORECASE,
)
TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
TEXT_LIMIT = 1024 * 1024  # a compressed text chunk may inflate this far, no further
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ImageRefused(Exception):
    """Why the image is refused: ``reason`` is ``"damaged"``, ``"trailing"`` or ``"markup"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_image(f: IO[bytes], kind: str, size: int) -> None:
    """Raise :class:`ImageRefused` unless ``f`` is exactly one clean image of ``kind``
    (``"jpg"``, ``"png"`` or ``"webp"``)."""
    _decode(f, kind)
    f.seek(0)
    data = f.read()  # images are at most UPLOAD_MAX_BYTES, already checked
    if kind == "png":
        _check_png(data)
    elif kind == "jpg":
        _check_jpeg(data)
    elif kind == "webp":
        _check_webp(data, size)


def _decode(f: IO[bytes], kind: str) -> None:
    # A phone's multi-picture JPEG is read by Pillow as "MPO"; it is a JPEG all the same.
    expected = {"jpg": ("JPEG", "MPO"), "png": ("PNG",), "webp": ("WEBP",)}[kind]
    f.seek(0)
    try:
        with warnings.catch_warnings():
            # A decompression bomb (more pixels than Pillow's limit) raises instead of warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(f) as image:
                if image.format not in expected:
                    raise ImageRefused("damaged")
                image.load()
    except ImageRefused:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
        zlib.error,
        EOFError,
    ):
        raise ImageRefused("damaged") from None


def _check_png(data: bytes) -> None:
    at = len(PNG_SIGNATURE)
    while True:
        if at + 8 > len(data):
            raise ImageRefused("damaged")
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        if len(body) != length:
            raise ImageRefused("damaged")
        if kind in TEXT_CHUNKS and MARKUP.search(_png_text(kind, body)):
            raise ImageRefused("markup")
        at += 12 + length
        if kind == b"IEND":
            break
    if at != len(data):
        raise ImageRefused("trailing")


def _png_text(kind: bytes, body: bytes) -> bytes:
    """The text of a tEXt, zTXt or iTXt chunk (keyword included), inflated if compressed."""
    if kind == b"tEXt":
        return body
    keyword, _sep, rest = body.partition(b"\x00")
    if kind == b"zTXt":
        return keyword + b" " + _inflate(rest[1:])
    # iTXt: compression flag, method, language tag NUL, translated keyword NUL, text
    flag, rest = rest[:1], rest[2:]
    _language, _sep, rest = rest.partition(b"\x00")
    translated, _sep, text = rest.partition(b"\x00")
    if flag == b"\x01":
        text = _inflate(text)
    return keyword + b" " + translated + b" " + text


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, TEXT_LIMIT)
    except zlib.error:
        raise ImageRefused("damaged") from None
    if inflater.unconsumed_tail:
        raise ImageRefused("markup")  # a text chunk inflating beyond any real caption
    return out


def _check_jpeg(data: bytes) -> None:
    end = _jpeg_end(data, 0)
    # A multi-picture file (phones' depth maps and previews) appends whole JPEG images.
    while end < len(data) and data[end : end + 3] == b"\xff\xd8\xff":
        end = _jpeg_end(data, end)
    if data[end:].strip(b"\x00"):
        raise ImageRefused("trailing")


def _jpeg_end(data: bytes, at: int) -> int:
    """The offset just after the EOI of the JPEG image starting at ``at``; comments and
    application segments holding markup are refused on the way."""
    if data[at : at + 2] != b"\xff\xd8":
        raise ImageRefused("damaged")
    at += 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            raise ImageRefused("damaged")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:  # EOI
            return at + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # parameterless
            at += 2
            continue
        if at + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        segment = data[at + 4 : at + 2 + length]
        if (marker == 0xFE or 0xE0 <= marker <= 0xEF) and MARKUP.search(segment):
            raise ImageRefused("markup")
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            at = _after_scan(data, at)
    raise ImageRefused("damaged")


def _after_scan(data: bytes, at: int) -> int:
    """Skip entropy-coded data: a 0xFF there is followed by 0x00 (stuffing) or a restart
    marker; any other marker ends the scan."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise ImageRefused("damaged")
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at


def _check_webp(data: bytes, size: int) -> None:
    (riff_size,) = struct.unpack("<I", data[4:8])
    # RIFF pads the payload to an even length (RFC 9649, 2.2).
    if riff_size + 8 != size:
        raise ImageRefused("trailing")
