"""Looking for active content in a PDF read in chunks: the names of JavaScript, launch actions,
embedded files and media, and of encryption, in the file's bytes and inside its Flate-compressed
object streams. A byte scan, not a parser: it never runs or renders anything."""

import re
import zlib
from typing import Any

INFLATE_STEP = 64 * 1024  # inflated bytes handed to the name scan at a time
# Inflating is bounded so that a small "zip bomb" PDF cannot tie up a worker.
INFLATE_LIMIT = 256 * 1024 * 1024
ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
)
ENCRYPT = b"Encrypt"

# Long names are looked for in every byte: random image data does not spell them. "/JS" is
# three bytes, so it is looked for only outside stream data (and inside object streams); an
# executable script needs "/JavaScript" anyway (the action's /S, or the names tree's key).
PDF_LONG_NAMES = ACTIVE_NAMES - {b"JS"} | {ENCRYPT}
PDF_ALL_NAMES = PDF_LONG_NAMES | {b"JS"}
# A PDF name: a slash and regular characters; "#xx" escapes spell any byte ("/J#61vaScript").
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{1,127})")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
PDF_ENDSTREAM = re.compile(rb"endstream")
PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
NAME_OVERLAP = 400  # longer than any escaped watched name, so none is missed at a chunk edge
DICT_WINDOW = 4096  # a stream's dictionary, read back from its "stream" keyword


class TooCompressed(Exception):
    """The PDF inflates to more than ``INFLATE_LIMIT``: it cannot be checked."""


def _decode_name(name: bytes) -> bytes:
    return PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name)


def _pdf_names(data: bytes) -> set[bytes]:
    return {_decode_name(n) for n in PDF_NAME.findall(data)}


class _NameScanner:
    """Collects the watched PDF names in bytes fed in pieces."""

    def __init__(self, found: set[bytes], watched: frozenset[bytes]) -> None:
        self.found = found
        self.watched = watched
        self._tail = b""

    def feed(self, data: bytes, *, final: bool = False) -> None:
        buffer = self._tail + data
        for match in PDF_NAME.finditer(buffer):
            if match.end() == len(buffer) and not final:
                break  # may go on in the next piece; the overlap scans it again
            name = _decode_name(match[1])
            if name in self.watched:
                self.found.add(name)
        self._tail = b"" if final else buffer[-NAME_OVERLAP:]


class PdfScanner:
    """Finds the watched names in a PDF fed in chunks: long names in every byte, all of them
    in the text outside streams and inside object streams, which hide dictionaries (a
    JavaScript action included) in Flate-compressed data."""

    def __init__(self) -> None:
        self.names: set[bytes] = set()  # the watched names found, without their slash
        self._everywhere = _NameScanner(self.names, PDF_LONG_NAMES)
        self._outside = _NameScanner(self.names, PDF_ALL_NAMES)
        self._objects = _NameScanner(self.names, PDF_ALL_NAMES)
        self._buffer = b""
        self._in_stream = False
        self._inflater: Any = None
        self._inflated_bytes = 0

    def feed(self, chunk: bytes) -> None:
        self._everywhere.feed(chunk)
        self._buffer += chunk
        while self._buffer:
            if not self._in_stream:
                if not self._enter_stream():
                    return
            elif self._inflater is not None:
                if not self._inflate():
                    return
            else:
                match = PDF_ENDSTREAM.search(self._buffer)
                if match is None:
                    self._buffer = self._buffer[-len(b"endstream") :]
                    return
                self._buffer = self._buffer[match.end() :]
                self._in_stream = False

    def close(self) -> None:
        if not self._in_stream:
            self._outside.feed(self._buffer)
        for scanner in (self._everywhere, self._outside, self._objects):
            scanner.feed(b"", final=True)

    def _enter_stream(self) -> bool:
        """Scan the text up to the next stream; True when one starts (False: need more)."""
        match = PDF_STREAM.search(self._buffer)
        if match is None:
            keep = max(0, len(self._buffer) - DICT_WINDOW)
            self._outside.feed(self._buffer[:keep])
            self._buffer = self._buffer[keep:]
            return False
        self._outside.feed(self._buffer[: match.start()])
        before = self._buffer[max(0, match.start() - DICT_WINDOW) : match.start()]
        objects = list(PDF_OBJECT.finditer(before))
        # The dictionary is read back to its "N G obj"; one too long to find is inflated too.
        names = _pdf_names(before[objects[-1].end() :]) if objects else set()
        if not objects or b"ObjStm" in names:
            if b"LZWDecode" in names:
                # qpdf decodes object streams to parse them and has no memory limit for LZW
                # (it has for Flate, set in permits.filescan.pdf); an LZW object stream can
                # inflate thousands of times, so it is refused unchecked.
                raise TooCompressed
            self._inflater = zlib.decompressobj()
        self._buffer = self._buffer[match.end() :]
        self._in_stream = True
        return True

    def _inflate(self) -> bool:
        """Inflate the object stream buffered so far; True when it ended (or turned out not to
        be Flate data) and the rest is to be read on, False when more input is needed."""
        data = self._buffer
        try:
            while data:
                out = self._inflater.decompress(data, INFLATE_STEP)
                self._inflated_bytes += len(out)
                if self._inflated_bytes > INFLATE_LIMIT:
                    raise TooCompressed
                self._objects.feed(out)
                if self._inflater.eof:
                    self._objects.feed(b"", final=True)
                    self._buffer = self._inflater.unused_data
                    self._inflater = None
                    return True
                data = self._inflater.unconsumed_tail
        except zlib.error:
            self._objects.feed(b"", final=True)
            self._inflater = None  # not Flate: look for its end as for any other stream
            return True
        self._buffer = b""
        return False
