"""QR codes as inline SVG (segno), for PDFs and pages alike."""

import io

import segno


def qr_svg(data: str, *, scale: int = 3, border: int = 2) -> str:
    """An ``<svg>`` element encoding ``data`` (error correction M), without XML declaration, ready
    to embed in HTML; sized by its viewBox so CSS can scale it."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=scale,
        border=border,
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
    )
    return buffer.getvalue().decode()
